// The writer sits on the backup's hot path (hundreds of megabytes of CSV per
// account), so encoding a field costs one scan (detail::find_special_byte,
// eight bytes at a time) and one or two appends into a buffer whose capacity
// is reused row after row: no allocation per field.

#include "crm/csv/writer.hpp"

#include <crm/csv/special_bytes.hpp>

#include <cstring>

namespace crm::csv {

namespace {

bool needs_quotes(std::string_view field)
{
  const char* const end = field.data() + field.size();
  return detail::find_special_byte(field.data(), end) != end;
}

void append_quoted(std::string& out, std::string_view field)
{
  out.push_back('"');
  for (;;) {
    const void* quote = std::memchr(field.data(), '"', field.size());
    if (quote == nullptr)
      break;
    // Up to and including the quote, then the quote once more.
    const std::size_t length = static_cast<std::size_t>(static_cast<const char*>(quote) - field.data()) + 1;
    out.append(field.data(), length);
    out.push_back('"');
    field.remove_prefix(length);
  }
  out.append(field);
  out.push_back('"');
}

}  // namespace

void append_row(std::string& out, std::span<const std::string_view> fields)
{
  bool is_first = true;
  for (const std::string_view field : fields) {
    if (!is_first)
      out.push_back(',');
    is_first = false;
    if (needs_quotes(field))
      append_quoted(out, field);
    else
      out.append(field);
  }
  out.append("\r\n", 2);
}

Writer::Writer(Sink sink, std::size_t flush_bytes) : m_sink(std::move(sink)), m_flush_bytes(flush_bytes)
{
  // Room for a full buffer plus a typical row, so the buffer rarely grows.
  m_buffer.reserve(flush_bytes + (flush_bytes / 8) + 4096);
}

void Writer::write_row(std::span<const std::string_view> fields)
{
  const std::size_t size_before = m_buffer.size();
  append_row(m_buffer, fields);
  m_bytes_written += static_cast<std::int64_t>(m_buffer.size() - size_before);
  ++m_rows_written;
  if (m_buffer.size() >= m_flush_bytes)
    flush();
}

void Writer::flush()
{
  if (m_buffer.empty())
    return;
  m_sink(m_buffer);
  m_buffer.clear();
}

}  // namespace crm::csv
