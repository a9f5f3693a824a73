#include <crm/archive/block_deflater.hpp>

#include <catch2/catch.hpp>
#include <zlib.h>

#include <string>
#include <vector>

using crm::archive::BlockDeflater;
using crm::archive::combine_crc32;
using crm::archive::CompressedBlock;
using crm::archive::k_deflate_window_bytes;

namespace {

std::string sample_text(std::size_t size)
{
  std::string text;
  std::uint32_t seed = 7;
  while (text.size() < size) {
    seed = seed * 1103515245 + 12345;
    text += std::to_string(seed % 100003) + ",person@example.com,\"Paris, France\"\r\n";
  }
  text.resize(size);
  return text;
}

std::string inflate_raw(const std::string& compressed, std::size_t expected_size)
{
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, -15) == Z_OK);
  std::string out(expected_size + 1, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  out.resize(out.size() - stream.avail_out);
  inflateEnd(&stream);
  CHECK(status == Z_STREAM_END);
  return out;
}

std::uint32_t crc_of(const std::string& text)
{
  return static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
}

// Cuts `text` into blocks of `block_size`, each with the 32 KiB before it.
std::vector<CompressedBlock> compress_in_blocks(const std::string& text, std::size_t block_size, int level,
                                                bool is_reversed = false)
{
  std::vector<std::size_t> starts;
  for (std::size_t start = 0; start < text.size(); start += block_size)
    starts.push_back(start);
  std::vector<CompressedBlock> blocks(starts.size());
  BlockDeflater deflater(level);
  for (std::size_t step = 0; step < starts.size(); ++step) {
    const std::size_t index = is_reversed ? starts.size() - 1 - step : step;
    const std::size_t start = starts[index];
    const std::size_t dictionary_start = start - std::min(start, k_deflate_window_bytes);
    blocks[index] = deflater.compress(std::string_view(text).substr(start, block_size),
                                      std::string_view(text).substr(dictionary_start, start - dictionary_start),
                                      index + 1 == starts.size());
  }
  return blocks;
}

}  // namespace

TEST_CASE("BlockDeflater blocks concatenate into one deflate stream of the whole input", "[archive]")
{
  const std::string text = sample_text(300'001);
  for (const int level : {1, 6, 9}) {
    INFO("level " << level);
    const auto blocks = compress_in_blocks(text, 65536, level);
    std::string stream;
    std::uint32_t crc = 0;
    for (const auto& block : blocks) {
      stream += block.bytes;
      crc = combine_crc32(crc, block.crc32, block.input_size);
    }
    CHECK(inflate_raw(stream, text.size()) == text);
    CHECK(crc == crc_of(text));
    CHECK(stream.size() < text.size() / 3);
  }
}

TEST_CASE("BlockDeflater output does not depend on the order blocks are compressed in", "[archive]")
{
  const std::string text = sample_text(200'000);
  const auto forward = compress_in_blocks(text, 50'000, 6);
  const auto backward = compress_in_blocks(text, 50'000, 6, true);
  REQUIRE(forward.size() == backward.size());
  for (std::size_t index = 0; index < forward.size(); ++index)
    CHECK(forward[index].bytes == backward[index].bytes);
}

TEST_CASE("BlockDeflater at level 0 copies the block", "[archive]")
{
  BlockDeflater deflater(0);
  const CompressedBlock block = deflater.compress("abc", "", true);
  CHECK(block.bytes == "abc");
  CHECK(block.input_size == 3);
  CHECK(block.crc32 == 0x352441c2U);
}

TEST_CASE("BlockDeflater finishes an empty last block into a valid stream end", "[archive]")
{
  BlockDeflater deflater(6);
  const CompressedBlock block = deflater.compress("", "", true);
  CHECK(inflate_raw(block.bytes, 0).empty());
  CHECK(block.crc32 == 0);
}
