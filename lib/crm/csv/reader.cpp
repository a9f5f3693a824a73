// The reader works on a fixed buffer filled from the source and copies runs
// of bytes, not single bytes: an unquoted field ends at the next special byte
// (detail::find_special_byte, eight bytes at a time), a quoted one at the
// next quote (memchr). Only the byte after a field, which decides what comes
// next, goes through get(). Both modes check UTF-8 on whole buffers, not
// fields: the delimiters are ASCII, so the input is valid UTF-8 exactly when
// every field is. Fields are assigned into the caller's strings, so
// a reader that reuses its vector allocates only when a row is wider or a
// field longer than any before.

#include "crm/csv/reader.hpp"

#include <crm/base/error.hpp>
#include <crm/base/utf8.hpp>
#include <crm/csv/special_bytes.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace crm::csv {

namespace {

constexpr std::size_t k_buffer_bytes = 256 << 10;
constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

}  // namespace

Reader::Reader(Source source, std::string what, ReaderOptions options)
    : m_source(std::move(source)), m_what(std::move(what)), m_options(options), m_buffer(k_buffer_bytes)
{
}

bool Reader::refill()
{
  if (m_is_at_end)
    return false;
  const std::size_t got = m_source(m_buffer.data(), m_buffer.size());
  if (got > m_buffer.size())
    throw Error(ErrorKind::internal, fmt::format("the source of {} returned more bytes than asked for", m_what));
  m_position = 0;
  m_filled = got;
  if (got == 0)
    m_is_at_end = true;
  check_utf8_of_buffer();
  return got != 0;
}

void Reader::check_utf8_of_buffer()
{
  if (m_must_check_fields)
    return;
  const auto* begin = reinterpret_cast<const unsigned char*>(m_buffer.data());
  bool is_valid = m_utf8.feed(begin + m_position, begin + m_filled);
  if (m_is_at_end)
    is_valid = is_valid && m_utf8.is_complete();
  // Every byte from m_position on is yet to be parsed, so checking each
  // field from now on finds the culprit.
  if (!is_valid)
    m_must_check_fields = true;
}

int Reader::peek()
{
  if (m_position == m_filled && !refill())
    return -1;
  return static_cast<unsigned char>(m_buffer[m_position]);
}

int Reader::get()
{
  const int byte = peek();
  if (byte >= 0)
    ++m_position;
  return byte;
}

void Reader::skip_byte_order_mark()
{
  // The mark may arrive split over several reads; gather its length first.
  while (m_filled < k_byte_order_mark.size() && !m_is_at_end) {
    const std::size_t room = m_buffer.size() - m_filled;
    const std::size_t got = m_source(m_buffer.data() + m_filled, room);
    if (got > room)
      throw Error(ErrorKind::internal, fmt::format("the source of {} returned more bytes than asked for", m_what));
    if (got == 0)
      m_is_at_end = true;
    m_filled += got;
  }
  if (std::string_view(m_buffer.data(), m_filled).starts_with(k_byte_order_mark))
    m_position = k_byte_order_mark.size();
  // These bytes bypassed refill(), which checks UTF-8.
  check_utf8_of_buffer();
}

void Reader::fail(const std::string& problem) const
{
  throw MalformedCsv(ErrorKind::data, fmt::format("{} line {}: {}", m_what, m_line, problem),
                     m_options.is_strict ? "the file is damaged or was changed; use an intact copy"
                                         : "fix the file (RFC 4180 CSV, UTF-8) and try again");
}

void Reader::check_size(const std::string& field, std::size_t field_number) const
{
  if (field.size() > m_options.max_field_bytes)
    fail(fmt::format("field {} is longer than {} bytes", field_number, m_options.max_field_bytes));
  if (field.size() > m_options.max_row_bytes - m_row_bytes)
    fail(fmt::format("the row is longer than {} bytes (at field {})", m_options.max_row_bytes, field_number));
}

void Reader::read_unquoted(std::string& field, std::size_t field_number)
{
  for (;;) {
    if (m_position == m_filled && !refill())
      return;
    const char* const begin = m_buffer.data() + m_position;
    const char* const end = m_buffer.data() + m_filled;
    const char* const stop = detail::find_special_byte(begin, end);
    field.append(begin, static_cast<std::size_t>(stop - begin));
    m_position += static_cast<std::size_t>(stop - begin);
    check_size(field, field_number);
    if (stop != end) {
      if (*stop == '"')
        fail(fmt::format("field {} holds a quote but does not start with one", field_number));
      return;
    }
  }
}

void Reader::read_quoted(std::string& field, std::size_t field_number)
{
  const std::int64_t first_line = m_line;
  for (;;) {
    if (m_position == m_filled && !refill())
      fail(fmt::format("the file ends inside field {}, quoted since line {}", field_number, first_line));
    const char* const begin = m_buffer.data() + m_position;
    const char* const end = m_buffer.data() + m_filled;
    const auto* quote = static_cast<const char*>(std::memchr(begin, '"', static_cast<std::size_t>(end - begin)));
    const char* const stop = quote != nullptr ? quote : end;
    m_line += std::count(begin, stop, '\n');
    field.append(begin, static_cast<std::size_t>(stop - begin));
    m_position += static_cast<std::size_t>(stop - begin);
    check_size(field, field_number);
    if (quote == nullptr)
      continue;
    ++m_position;
    if (peek() != '"')
      return;  // the closing quote
    ++m_position;
    field.push_back('"');
  }
}

bool Reader::next(std::vector<std::string>& fields)
{
  if (m_is_at_start) {
    m_is_at_start = false;
    if (!m_options.is_strict)
      skip_byte_order_mark();
  }
  if (peek() < 0)
    return false;
  m_row_line = m_line;
  m_row_bytes = 0;
  std::size_t field_count = 0;
  for (;;) {
    if (field_count == m_options.max_fields)
      fail(fmt::format("the row has more than {} fields", m_options.max_fields));
    if (fields.size() == field_count)
      fields.emplace_back();
    std::string& field = fields[field_count++];
    field.clear();
    if (peek() == '"') {
      ++m_position;
      read_quoted(field, field_count);
    } else {
      read_unquoted(field, field_count);
    }
    if (m_must_check_fields && !is_valid_utf8(field))
      fail(fmt::format("field {} is not valid UTF-8", field_count));
    m_row_bytes += field.size();

    const int terminator = get();
    if (terminator == ',')
      continue;
    if (terminator == '\r') {
      if (get() != '\n')
        fail("a CR is not followed by LF; rows end with CRLF");
      ++m_line;
      break;
    }
    if (terminator == '\n') {
      if (m_options.is_strict)
        fail("a row ends with LF alone; rows end with CRLF");
      ++m_line;
      break;
    }
    if (terminator < 0) {
      if (m_options.is_strict)
        fail("the last row has no line break; the file may be cut short");
      break;
    }
    const std::string shown = terminator >= 0x20 && terminator < 0x7F
                                  ? fmt::format("'{}'", static_cast<char>(terminator))
                                  : fmt::format("byte 0x{:02x}", terminator);
    fail(fmt::format("field {} has {} after its closing quote; only a comma or a line break may follow", field_count,
                     shown));
  }
  fields.resize(field_count);
  return true;
}

}  // namespace crm::csv
