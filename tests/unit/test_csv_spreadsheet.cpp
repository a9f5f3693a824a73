#include <crm/csv/spreadsheet.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

using crm::csv::CellKind;

std::string cell(std::string_view value, CellKind kind = CellKind::text)
{
  std::string scratch;
  return std::string(crm::csv::spreadsheet_cell(value, kind, scratch));
}

// The whole output of a SpreadsheetWriter with `kinds`, `header` and `rows`.
std::string write_sheet(std::vector<CellKind> kinds, std::vector<std::string_view> header,
                        std::vector<std::vector<std::string_view>> rows = {}, std::size_t* records = nullptr)
{
  std::string out;
  crm::csv::SpreadsheetWriter writer([&out](std::string_view bytes) { out.append(bytes); }, std::move(kinds));
  writer.write_header(header);
  for (const auto& row : rows)
    writer.write_row(row);
  writer.flush();
  if (records != nullptr)
    *records = static_cast<std::size_t>(writer.records_written());
  return out;
}

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

}  // namespace

TEST_CASE("csv::spreadsheet_cell gives a text value starting with each formula character an apostrophe", "[csv]")
{
  CHECK(cell("=1+1") == "'=1+1");
  CHECK(cell("+1") == "'+1");
  CHECK(cell("-1") == "'-1");
  CHECK(cell("@SUM(A1:A2)") == "'@SUM(A1:A2)");
  CHECK(cell("\tx") == "'\tx");
  CHECK(cell("\rx") == "'\rx");
  CHECK(cell("=HYPERLINK(\"http://evil\",\"click\")") == "'=HYPERLINK(\"http://evil\",\"click\")");
}

TEST_CASE("csv::spreadsheet_cell leaves a text value with a formula character later on, or none, as it is", "[csv]")
{
  CHECK(cell("1+1=2") == "1+1=2");
  CHECK(cell("jane@example.com") == "jane@example.com");
  CHECK(cell(" =1+1") == " =1+1");
  CHECK(cell("'=1+1") == "'=1+1");
  CHECK(cell("x\t") == "x\t");
  CHECK(cell("\nx") == "\nx");
  CHECK(cell("") == "");
}

TEST_CASE("csv::spreadsheet_cell leaves a number in a number column a number", "[csv]")
{
  CHECK(cell("-42.5", CellKind::number) == "-42.5");
  CHECK(cell("-7", CellKind::number) == "-7");
  CHECK(cell("-1e5", CellKind::number) == "-1e5");
  CHECK(cell("-1.5E-3", CellKind::number) == "-1.5E-3");
  CHECK(cell("42", CellKind::number) == "42");
}

TEST_CASE("csv::spreadsheet_cell escapes the same negative number in a text column", "[csv]")
{
  CHECK(cell("-42.5", CellKind::text) == "'-42.5");
}

TEST_CASE("csv::spreadsheet_cell escapes a non-number in a number column like text", "[csv]")
{
  CHECK(cell("-1+cmd|' /C calc'!A0", CellKind::number) == "'-1+cmd|' /C calc'!A0");
  CHECK(cell("=1+1", CellKind::number) == "'=1+1");
  CHECK(cell("+5", CellKind::number) == "'+5");
  CHECK(cell("-", CellKind::number) == "'-");
  CHECK(cell("-.5", CellKind::number) == "'-.5");
  CHECK(cell("-1.", CellKind::number) == "'-1.");
  CHECK(cell("-1e", CellKind::number) == "'-1e");
  CHECK(cell("-inf", CellKind::number) == "'-inf");
  CHECK(cell("-1 ", CellKind::number) == "'-1 ");
  CHECK(cell("@1", CellKind::number) == "'@1");
}

TEST_CASE("csv::is_decimal_number accepts the CRM's numbers only (spreadsheet numbers)", "[csv]")
{
  CHECK(crm::csv::is_decimal_number("0"));
  CHECK(crm::csv::is_decimal_number("-0.25"));
  CHECK(crm::csv::is_decimal_number("12e+3"));
  CHECK_FALSE(crm::csv::is_decimal_number(""));
  CHECK_FALSE(crm::csv::is_decimal_number("+1"));
  CHECK_FALSE(crm::csv::is_decimal_number("1,5"));
  CHECK_FALSE(crm::csv::is_decimal_number("0x10"));
  CHECK_FALSE(crm::csv::is_decimal_number("nan"));
}

TEST_CASE("csv::SpreadsheetWriter starts a spreadsheet with the UTF-8 byte order mark", "[csv]")
{
  const std::string out = write_sheet({CellKind::text}, {"Name"});
  CHECK(out.substr(0, 3) == k_bom);
  CHECK(out == std::string(k_bom) + "Name\r\n");
}

TEST_CASE("csv::SpreadsheetWriter writes the spreadsheet header it is given, escaped as text", "[csv]")
{
  const std::string out =
      write_sheet({CellKind::number, CellKind::number, CellKind::text}, {"Record ID", "-Discount", "First Name"});
  CHECK(out == std::string(k_bom) + "Record ID,'-Discount,First Name\r\n");
}

TEST_CASE("csv::SpreadsheetWriter escapes spreadsheet cells by their column's kind", "[csv]")
{
  std::size_t records = 0;
  const std::string out =
      write_sheet({CellKind::number, CellKind::text, CellKind::number}, {"Record ID", "Note", "Amount"},
                  {{"1", "=1+1", "-42.5"}, {"2", "-42.5", "-x"}}, &records);
  CHECK(out == std::string(k_bom) + "Record ID,Note,Amount\r\n1,'=1+1,-42.5\r\n2,'-42.5,'-x\r\n");
  CHECK(records == 2);
}

TEST_CASE("csv::SpreadsheetWriter quotes commas, quotes and line breaks in a spreadsheet as RFC 4180, after escaping",
          "[csv]")
{
  const std::string out = write_sheet({CellKind::text, CellKind::text, CellKind::text, CellKind::text},
                                      {"a", "b", "c", "d"}, {{"x,y", "say \"hi\"", "line 1\r\nline 2", "=A1,B1"}});
  CHECK(out == std::string(k_bom) + "a,b,c,d\r\n\"x,y\",\"say \"\"hi\"\"\",\"line 1\r\nline 2\",\"'=A1,B1\"\r\n");
  // A value starting with CR is escaped, then quoted for the CR.
  CHECK(write_sheet({CellKind::text}, {"a"}, {{"\r=1"}}) == std::string(k_bom) + "a\r\n\"'\r=1\"\r\n");
}

TEST_CASE("csv::SpreadsheetWriter leaves non-ASCII text in a spreadsheet untouched", "[csv]")
{
  const std::string out =
      write_sheet({CellKind::text, CellKind::text}, {"Stadt", "名前"}, {{"São Paulo", "Zoë – 東京"}});
  CHECK(out == std::string(k_bom) + "Stadt,名前\r\nSão Paulo,Zoë – 東京\r\n");
}

TEST_CASE("csv::SpreadsheetWriter writes an empty value as an empty spreadsheet cell", "[csv]")
{
  CHECK(write_sheet({CellKind::number, CellKind::text}, {"a", "b"}, {{"1", ""}}) ==
        std::string(k_bom) + "a,b\r\n1,\r\n");
}

TEST_CASE("csv::SpreadsheetWriter refuses a spreadsheet row with the wrong number of fields", "[csv]")
{
  std::string out;
  crm::csv::SpreadsheetWriter writer([&out](std::string_view bytes) { out.append(bytes); }, {CellKind::text});
  const std::vector<std::string_view> row{"a", "b"};
  CHECK_THROWS(writer.write_row(row));
}
