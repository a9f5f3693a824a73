#include "crm/archive/block_deflater.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>
#include <zlib.h>

namespace crm::archive {
namespace {

constexpr int k_raw_deflate_window_bits = -15;  // raw deflate (the zip entry's data), 32 KiB window
constexpr int k_memory_level = 8;               // zlib's default, as zip -6 and pigz use
// deflateBound() of a sync-flushed block plus the flush marker and slack.
constexpr std::size_t k_flush_slack = 64;

[[noreturn]] void fail(const char* action, int status)
{
  throw Error(ErrorKind::internal, fmt::format("zlib cannot {} a block (status {})", action, status),
              "check the zlib installation");
}

std::uint32_t crc_of(std::string_view bytes)
{
  uLong crc = crc32(0L, Z_NULL, 0);
  // crc32_z takes a size_t length, so a block of any size is one call.
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size());
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

BlockDeflater::BlockDeflater(int level) : m_level(level)
{
  if (level == 0)
    return;
  m_stream = new z_stream{};
  const int status =
      deflateInit2(m_stream, level, Z_DEFLATED, k_raw_deflate_window_bits, k_memory_level, Z_DEFAULT_STRATEGY);
  if (status != Z_OK) {
    delete m_stream;
    m_stream = nullptr;
    if (status == Z_MEM_ERROR)
      throw std::bad_alloc();
    fail("start", status);
  }
}

BlockDeflater::~BlockDeflater()
{
  if (m_stream != nullptr) {
    deflateEnd(m_stream);
    delete m_stream;
  }
}

CompressedBlock BlockDeflater::compress(std::string_view input, std::string_view dictionary, bool is_last_block)
{
  CompressedBlock block;
  block.input_size = input.size();
  block.crc32 = crc_of(input);
  if (m_stream == nullptr) {
    block.bytes.assign(input);
    return block;
  }

  int status = deflateReset(m_stream);
  if (status != Z_OK)
    fail("reset", status);
  if (dictionary.size() > k_deflate_window_bytes)
    dictionary = dictionary.substr(dictionary.size() - k_deflate_window_bytes);
  if (!dictionary.empty()) {
    status = deflateSetDictionary(m_stream, reinterpret_cast<const Bytef*>(dictionary.data()),
                                  static_cast<uInt>(dictionary.size()));
    if (status != Z_OK)
      fail("prime", status);
  }

  block.bytes.resize(deflateBound(m_stream, static_cast<uLong>(input.size())) + k_flush_slack);
  m_stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  m_stream->avail_in = static_cast<uInt>(input.size());
  const int flush = is_last_block ? Z_FINISH : Z_SYNC_FLUSH;
  std::size_t produced = 0;
  // One call normally does it; loop in case the bound was not enough.
  for (;;) {
    m_stream->next_out = reinterpret_cast<Bytef*>(block.bytes.data() + produced);
    m_stream->avail_out = static_cast<uInt>(block.bytes.size() - produced);
    status = deflate(m_stream, flush);
    produced = block.bytes.size() - m_stream->avail_out;
    if (status == Z_STREAM_ERROR)
      fail("compress", status);
    const bool is_done = is_last_block ? status == Z_STREAM_END : (m_stream->avail_in == 0 && m_stream->avail_out > 0);
    if (is_done)
      break;
    block.bytes.resize(block.bytes.size() * 2);
  }
  block.bytes.resize(produced);
  return block;
}

std::uint32_t combine_crc32(std::uint32_t first, std::uint32_t second, std::uint64_t second_size)
{
  return static_cast<std::uint32_t>(crc32_combine(first, second, static_cast<z_off_t>(second_size)));
}

}  // namespace crm::archive
