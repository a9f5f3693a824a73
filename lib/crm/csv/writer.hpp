#pragma once
// Streaming RFC 4180 writer: UTF-8 passed through, CRLF line ends, a field
// quoted only when it holds a comma, a quote, CR or LF (quotes doubled).
// Rows are appended to an internal buffer that is handed to the sink whenever
// it passes `flush_bytes`, and on flush().

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace crm::csv {

// Appends one encoded row (with its CRLF) to `out`.
void append_row(std::string& out, std::span<const std::string_view> fields);

class Writer {
public:
  using Sink = std::function<void(std::string_view bytes)>;

  explicit Writer(Sink sink, std::size_t flush_bytes = 1 << 20);
  void write_row(std::span<const std::string_view> fields);
  // Hands everything buffered to the sink.
  void flush();
  std::int64_t rows_written() const { return m_rows_written; }
  std::int64_t bytes_written() const { return m_bytes_written; }

private:
  Sink m_sink;
  std::size_t m_flush_bytes;
  std::string m_buffer;
  std::int64_t m_rows_written = 0;
  std::int64_t m_bytes_written = 0;
};

}  // namespace crm::csv
