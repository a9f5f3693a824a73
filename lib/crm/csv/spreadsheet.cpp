#include "crm/csv/spreadsheet.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

namespace crm::csv {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Skips the digits at `position`; false when there is none.
bool skip_digits(std::string_view text, std::size_t& position)
{
  const std::size_t start = position;
  while (position < text.size() && is_digit(text[position]))
    ++position;
  return position > start;
}

}  // namespace

bool starts_like_formula(std::string_view value)
{
  if (value.empty())
    return false;
  switch (value.front()) {
  case '=':
  case '+':
  case '-':
  case '@':
  case '\t':
  case '\r': return true;
  default: return false;
  }
}

bool is_decimal_number(std::string_view value)
{
  std::size_t position = 0;
  if (position < value.size() && value[position] == '-')
    ++position;
  if (!skip_digits(value, position))
    return false;
  if (position < value.size() && value[position] == '.') {
    ++position;
    if (!skip_digits(value, position))
      return false;
  }
  if (position < value.size() && (value[position] == 'e' || value[position] == 'E')) {
    ++position;
    if (position < value.size() && (value[position] == '-' || value[position] == '+'))
      ++position;
    if (!skip_digits(value, position))
      return false;
  }
  return position == value.size();
}

std::string_view spreadsheet_cell(std::string_view value, CellKind kind, std::string& scratch)
{
  if (!starts_like_formula(value) || (kind == CellKind::number && is_decimal_number(value)))
    return value;
  scratch.assign(1, '\'');
  scratch.append(value);
  return scratch;
}

SpreadsheetWriter::SpreadsheetWriter(Writer::Sink sink, std::vector<CellKind> column_kinds)
    : m_sink(std::move(sink)), m_writer([this](std::string_view bytes) { m_sink(bytes); }),
      m_kinds(std::move(column_kinds)), m_scratch(m_kinds.size()), m_cells(m_kinds.size())
{
  m_sink(k_utf8_byte_order_mark);
}

void SpreadsheetWriter::write_header(std::span<const std::string_view> names) { write_cells(names, true); }

void SpreadsheetWriter::write_row(std::span<const std::string_view> fields)
{
  write_cells(fields, false);
  ++m_records_written;
}

void SpreadsheetWriter::write_cells(std::span<const std::string_view> fields, bool is_header)
{
  if (fields.size() != m_kinds.size())
    throw Error(ErrorKind::internal,
                fmt::format("SpreadsheetWriter got {} fields for {} columns", fields.size(), m_kinds.size()));
  for (std::size_t column = 0; column < fields.size(); ++column)
    m_cells[column] = spreadsheet_cell(fields[column], is_header ? CellKind::text : m_kinds[column], m_scratch[column]);
  m_writer.write_row(m_cells);
}

void SpreadsheetWriter::flush() { m_writer.flush(); }

}  // namespace crm::csv
