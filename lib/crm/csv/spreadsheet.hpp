#pragma once
// CSV for people who open it in a spreadsheet (issue 16; docs/decisions.md,
// "Spreadsheet export"). A backup's own CSV stays exact; this is a second
// form of it, for `crm-backup export --spreadsheet`:
//
// - the output starts with the UTF-8 byte order mark, because Excel reads
//   UTF-8 without one in the ANSI code page ("São Paulo" becomes "SÃ£o
//   Paulo");
// - a text cell a spreadsheet would run as a formula (its first byte '=',
//   '+', '-', '@', TAB or CR) gets a leading apostrophe, as OWASP advises
//   against CSV injection; spreadsheets show the apostrophe as "this is
//   text" and do not run the cell;
// - a number in a number column stays as it is ("-42.5" is no formula), but
//   anything else in a number column is text and escaped like text.
//
// Nothing else in a value changes; quoting is csv::Writer's (RFC 4180).

#include <crm/csv/writer.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::csv {

inline constexpr std::string_view k_utf8_byte_order_mark = "\xEF\xBB\xBF";

// What a column holds, as far as escaping goes.
enum class CellKind { text, number };

// True when a spreadsheet would run `value` as a formula: its first byte is
// '=', '+', '-', '@', TAB or CR.
bool starts_like_formula(std::string_view value);

// True for a number as the CRM writes one: an optional '-', digits,
// optionally '.' and digits, optionally an exponent ('e' or 'E', an optional
// sign, digits). No '+' sign, no spaces, no "inf" or "nan".
bool is_decimal_number(std::string_view value);

// `value` as a cell of a column of `kind`: with a leading '\'' when it starts
// like a formula, unless it is a number in a number column. Returns `value`
// itself, or a view of `scratch` holding the prefixed copy.
std::string_view spreadsheet_cell(std::string_view value, CellKind kind, std::string& scratch);

class SpreadsheetWriter {
public:
  // Hands the byte order mark to `sink` at once. Every row has one field per
  // entry of `column_kinds`. Not copyable or movable: the writer's sink
  // refers to this object.
  SpreadsheetWriter(Writer::Sink sink, std::vector<CellKind> column_kinds);
  SpreadsheetWriter(const SpreadsheetWriter&) = delete;
  SpreadsheetWriter& operator=(const SpreadsheetWriter&) = delete;

  // The header row: column names, escaped as text whatever the column holds.
  void write_header(std::span<const std::string_view> names);
  // One record; its fields are escaped by their column's kind.
  void write_row(std::span<const std::string_view> fields);
  // Hands everything buffered to the sink.
  void flush();
  // Rows after the header.
  std::int64_t records_written() const { return m_records_written; }

private:
  void write_cells(std::span<const std::string_view> fields, bool is_header);

  Writer::Sink m_sink;
  Writer m_writer;  // hands its rows to m_sink
  std::vector<CellKind> m_kinds;
  std::vector<std::string> m_scratch;  // one per column, reused row after row
  std::vector<std::string_view> m_cells;
  std::int64_t m_records_written = 0;
};

}  // namespace crm::csv
