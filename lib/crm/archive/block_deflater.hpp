#pragma once
// Compresses one block of an entry independently of the others, the pigz
// way: raw deflate primed with the last 32 KiB before the block as a preset
// dictionary, ended with a sync flush (byte-aligned, stream left open) or,
// for the entry's last block, finished. Concatenating the blocks of an entry
// in order gives one valid deflate stream, and the bytes depend only on the
// input, the block boundaries and the level -- not on which thread compressed
// which block. Level 0 copies the block (the entry is stored).

#include <cstdint>
#include <string>
#include <string_view>

struct z_stream_s;

namespace crm::archive {

// 32 KiB: the largest distance a deflate match may reach back.
constexpr std::size_t k_deflate_window_bytes = 32 * 1024;

struct CompressedBlock {
  std::string bytes;
  std::uint32_t crc32 = 0;  // of the block's input
  std::uint64_t input_size = 0;
};

class BlockDeflater {
public:
  explicit BlockDeflater(int level);
  ~BlockDeflater();
  BlockDeflater(const BlockDeflater&) = delete;
  BlockDeflater& operator=(const BlockDeflater&) = delete;

  // `dictionary`: up to the last 32 KiB of the entry's input before `input`.
  CompressedBlock compress(std::string_view input, std::string_view dictionary, bool is_last_block);

private:
  int m_level;
  z_stream_s* m_stream = nullptr;  // reused across blocks: deflateInit allocates ~270 KiB
};

// The CRC-32 of A followed by B, from A's and B's CRC-32 and B's size.
std::uint32_t combine_crc32(std::uint32_t first, std::uint32_t second, std::uint64_t second_size);

}  // namespace crm::archive
