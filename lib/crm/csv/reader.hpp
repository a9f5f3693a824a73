#pragma once
// Streaming RFC 4180 reader that distrusts its input: every malformation is
// a MalformedCsv (an Error(data)) naming the line, fields and rows have hard
// size caps, and memory stays bounded by the largest row.
//
// Strict mode (the default) accepts exactly what csv::Writer writes: CRLF
// line ends (a bare CR or LF outside quotes is an error), a final line break,
// a quote only in a quoted field (doubled), only ',' or a line end after a
// closing quote, and valid UTF-8. Lenient mode (other tools' exports) also
// accepts LF line ends, a missing final line break and a leading UTF-8 byte
// order mark (skipped); it still refuses invalid UTF-8, naming the line and
// field, because a replaced byte would be written into the CRM by a restore.
// An empty line reads as a row of one empty field.

#include <crm/base/error.hpp>
#include <crm/base/utf8.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace crm::csv {

// Input that is not the CSV the reader accepts. Its own type, so that a caller
// can tell it from an Error its source threw (a damaged zip entry) without
// wrapping the source.
class MalformedCsv : public Error {
public:
  using Error::Error;
};

struct ReaderOptions {
  bool is_strict = true;  // our own files: CRLF only; false also accepts LF (other tools' exports)
  std::size_t max_field_bytes = 16 << 20;
  std::size_t max_fields = 10000;
  // All fields of one row together (their unquoted bytes): without it a row
  // could hold max_fields fields of max_field_bytes each, 160 GiB in memory.
  std::size_t max_row_bytes = 64 << 20;
};

class Reader {
public:
  // Fills `buffer` with up to `capacity` bytes; returns 0 at the end.
  using Source = std::function<std::size_t(char* buffer, std::size_t capacity)>;

  // `what` names the input in messages ("contacts.csv").
  Reader(Source source, std::string what, ReaderOptions options = {});
  // Reads the next row into `fields`; false at the end of input. A final row
  // must end with a line break when strict.
  bool next(std::vector<std::string>& fields);
  // The 1-based line on which the last row returned started.
  std::int64_t line_number() const { return m_row_line; }

private:
  int get();   // next byte or -1
  int peek();  // next byte without consuming it, or -1
  bool refill();
  void check_utf8_of_buffer();  // the bytes from m_position to m_filled, just read
  void read_unquoted(std::string& field, std::size_t field_number);
  void read_quoted(std::string& field, std::size_t field_number);
  void check_size(const std::string& field, std::size_t field_number) const;
  void skip_byte_order_mark();
  [[noreturn]] void fail(const std::string& problem) const;

  Source m_source;
  std::string m_what;
  ReaderOptions m_options;
  std::vector<char> m_buffer;
  std::size_t m_position = 0;
  std::size_t m_filled = 0;
  bool m_is_at_end = false;
  bool m_is_at_start = true;
  // Strict mode checks UTF-8 on each buffer as it arrives, which is fast; the
  // state carries a sequence split between buffers. Only once a buffer fails
  // does it check field by field, to name the field and line.
  bool m_must_check_fields = false;
  Utf8Validator m_utf8;
  std::int64_t m_line = 1;
  std::int64_t m_row_line = 0;
  std::size_t m_row_bytes = 0;  // of the fields of the current row before the one being read
};

}  // namespace crm::csv
