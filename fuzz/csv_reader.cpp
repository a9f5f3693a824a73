// Feeds csv::Reader, which reads every CSV entry of a backup archive (strict)
// and the CSV files of a hosted CRM export (lenient): the bytes of a file
// nobody vouches for. The first input byte picks the mode, the caps (the
// defaults or small ones, to reach the cap checks) and how many bytes the
// source hands over per call, since UTF-8 sequences and CRLF pairs split
// between two buffers take their own paths.
//
// Every row read must survive a round trip: csv::Writer writes it and the
// strict reader reads back the same fields, as a plan made from a hosted
// export and a backup rely on.

#include "fuzz_input.hpp"

#include <crm/csv/reader.hpp>
#include <crm/csv/writer.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using crm::csv::Reader;
using crm::csv::ReaderOptions;

Reader::Source source_of(std::string_view bytes, std::size_t chunk_bytes)
{
  return [bytes, chunk_bytes, offset = std::size_t{0}](char* buffer, std::size_t capacity) mutable {
    const std::size_t count = std::min({capacity, chunk_bytes, bytes.size() - offset});
    std::memcpy(buffer, bytes.data() + offset, count);
    offset += count;
    return count;
  };
}

std::vector<std::string> reread(const std::vector<std::string>& fields, const ReaderOptions& caps)
{
  std::string written;
  crm::csv::Writer writer([&written](std::string_view bytes) { written.append(bytes); });
  const std::vector<std::string_view> views(fields.begin(), fields.end());
  writer.write_row(views);
  writer.flush();
  ReaderOptions strict = caps;
  strict.is_strict = true;
  Reader reader(source_of(written, written.size()), "rewritten row", strict);
  std::vector<std::string> again;
  crm::fuzz::require(reader.next(again), "a written row reads back");
  std::vector<std::string> nothing;
  crm::fuzz::require(!reader.next(nothing), "a written row reads back as one row");
  return again;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size == 0)
    return 0;
  const std::uint8_t mode = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  ReaderOptions options;
  options.is_strict = (mode & 1U) == 0;
  if ((mode & 2U) != 0) {
    options.max_field_bytes = 40;
    options.max_fields = 8;
    options.max_row_bytes = 100;
  }
  constexpr std::size_t k_chunk_bytes[] = {1 << 20, 1, 2, 3, 7, 64, 4096, 65536};
  const std::size_t chunk_bytes = k_chunk_bytes[(mode >> 2) & 7U];

  crm::fuzz::accepts([&] {
    Reader reader(source_of(bytes, chunk_bytes), "fuzz.csv", options);
    std::vector<std::string> fields;
    while (reader.next(fields)) {
      crm::fuzz::require(!fields.empty(), "a row has at least one field");
      crm::fuzz::require(reread(fields, options) == fields, "a row read, written and read again is the same");
    }
  });
  return 0;
}
