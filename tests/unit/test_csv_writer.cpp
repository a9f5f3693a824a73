#include <crm/csv/writer.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

namespace {

std::string write_row(std::vector<std::string_view> fields)
{
  std::string out;
  crm::csv::append_row(out, fields);
  return out;
}

}  // namespace

TEST_CASE("csv::Writer leaves a plain field unquoted and ends the row with CRLF", "[csv]")
{
  CHECK(write_row({"a", "b c", "42"}) == "a,b c,42\r\n");
}

TEST_CASE("csv::Writer quotes a field holding a comma", "[csv]") { CHECK(write_row({"a,b"}) == "\"a,b\"\r\n"); }

TEST_CASE("csv::Writer quotes a field holding a quote and doubles the quote", "[csv]")
{
  CHECK(write_row({"say \"hi\""}) == "\"say \"\"hi\"\"\"\r\n");
  CHECK(write_row({"\""}) == "\"\"\"\"\r\n");
}

TEST_CASE("csv::Writer quotes a field holding CR or LF", "[csv]")
{
  CHECK(write_row({"line 1\nline 2"}) == "\"line 1\nline 2\"\r\n");
  CHECK(write_row({"a\rb"}) == "\"a\rb\"\r\n");
  CHECK(write_row({"a\r\nb", "c"}) == "\"a\r\nb\",c\r\n");
}

TEST_CASE("csv::Writer writes an empty field as nothing between commas", "[csv]")
{
  CHECK(write_row({"", "x", ""}) == ",x,\r\n");
  CHECK(write_row({""}) == "\r\n");
}

TEST_CASE("csv::Writer passes UTF-8 through untouched and does not quote it", "[csv]")
{
  CHECK(write_row({"Zoë Müller", "東京", "🙂"}) == "Zoë Müller,東京,🙂\r\n");
}

TEST_CASE("csv::Writer does not quote spaces, semicolons or tabs", "[csv]")
{
  CHECK(write_row({" a ", "x;y", "t\tu"}) == " a ,x;y,t\tu\r\n");
}

TEST_CASE("csv::Writer finds a special byte at every position of a long field", "[csv]")
{
  for (const char special : {',', '"', '\r', '\n'}) {
    for (std::size_t position = 0; position < 40; ++position) {
      std::string field(40, 'x');
      field[position] = special;
      const std::string row = write_row({field});
      INFO("special byte " << int(special) << " at " << position);
      CHECK(row.front() == '"');
      CHECK(row.substr(row.size() - 3) == "\"\r\n");
    }
  }
}

TEST_CASE("csv::Writer quotes exactly the fields a byte-by-byte check says need it", "[csv]")
{
  std::mt19937 random(20240601);
  const std::string alphabet = "ab,\"\r\n \xc3\xa9\x80\x22\x2c\x0d\x0a\xff";
  for (int round = 0; round < 2000; ++round) {
    std::string field(random() % 50, ' ');
    for (char& byte : field)
      byte = (random() % 5 == 0) ? alphabet[random() % alphabet.size()] : static_cast<char>('A' + random() % 26);
    const bool needs = field.find_first_of(",\"\r\n") != std::string::npos;
    const std::string row = write_row({field});
    REQUIRE((!row.empty() && row.front() == '"') == needs);
  }
}

TEST_CASE("csv::Writer hands its buffer to the sink once it passes flush_bytes, and the rest on flush", "[csv]")
{
  std::vector<std::string> chunks;
  crm::csv::Writer writer([&chunks](std::string_view bytes) { chunks.emplace_back(bytes); }, 10);
  const std::vector<std::string_view> row = {"abc", "d"};  // "abc,d\r\n": 7 bytes
  writer.write_row(row);
  CHECK(chunks.empty());
  writer.write_row(row);
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0] == "abc,d\r\nabc,d\r\n");
  writer.write_row(row);
  CHECK(chunks.size() == 1);
  writer.flush();
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[1] == "abc,d\r\n");
  writer.flush();
  CHECK(chunks.size() == 2);  // nothing buffered, nothing handed on
  CHECK(writer.rows_written() == 3);
  CHECK(writer.bytes_written() == 21);
}
