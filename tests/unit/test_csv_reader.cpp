#include <crm/base/error.hpp>
#include <crm/csv/reader.hpp>
#include <crm/csv/writer.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using crm::Error;
using crm::ErrorKind;
using crm::csv::Reader;
using crm::csv::ReaderOptions;
using Rows = std::vector<std::vector<std::string>>;

namespace {

// A source handing out `text` at most `chunk` bytes at a time.
Reader::Source source_of(std::string text, std::size_t chunk = 1 << 20)
{
  auto offset = std::make_shared<std::size_t>(0);
  auto content = std::make_shared<std::string>(std::move(text));
  return [content, offset, chunk](char* buffer, std::size_t capacity) {
    const std::size_t count = std::min({chunk, capacity, content->size() - *offset});
    std::memcpy(buffer, content->data() + *offset, count);
    *offset += count;
    return count;
  };
}

Rows read_all(std::string text, ReaderOptions options = {}, std::size_t chunk = 1 << 20)
{
  Reader reader(source_of(std::move(text), chunk), "test.csv", options);
  Rows rows;
  std::vector<std::string> fields;
  while (reader.next(fields))
    rows.push_back(fields);
  return rows;
}

ReaderOptions lenient()
{
  ReaderOptions options;
  options.is_strict = false;
  return options;
}

// The Error(data) message reading `text` gives.
std::string failure_of(std::string text, ReaderOptions options = {}, std::size_t chunk = 1 << 20)
{
  try {
    read_all(std::move(text), options, chunk);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::data);
    return error.what();
  }
  FAIL("no error");
  return {};
}

}  // namespace

TEST_CASE("csv::Reader reads rows of plain and quoted fields", "[csv]")
{
  CHECK(read_all("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n") == Rows{{"a", "b", "c"}, {"1", "x,y", "say \"hi\""}});
}

TEST_CASE("csv::Reader reads quoted line breaks as field content", "[csv]")
{
  CHECK(read_all("\"a\r\nb\",\"c\nd\",\"e\rf\"\r\n") == Rows{{"a\r\nb", "c\nd", "e\rf"}});
}

TEST_CASE("csv::Reader reads empty fields and an empty line as one empty field", "[csv]")
{
  CHECK(read_all(",,\r\n\r\n\"\"\r\n") == Rows{{"", "", ""}, {""}, {""}});
}

TEST_CASE("csv::Reader gives no rows for empty input", "[csv]")
{
  CHECK(read_all("").empty());
  CHECK(read_all("", lenient()).empty());
}

TEST_CASE("csv::Reader tells the line each row started on", "[csv]")
{
  Reader reader(source_of("a\r\n\"multi\r\nline\r\nfield\"\r\nb\r\n"), "test.csv");
  std::vector<std::string> fields;
  REQUIRE(reader.next(fields));
  CHECK(reader.line_number() == 1);
  REQUIRE(reader.next(fields));
  CHECK(reader.line_number() == 2);
  REQUIRE(reader.next(fields));
  CHECK(reader.line_number() == 5);
  CHECK(fields == std::vector<std::string>{"b"});
  CHECK_FALSE(reader.next(fields));
}

TEST_CASE("csv::Reader strict refuses a row ending in LF alone, naming the file and line", "[csv]")
{
  const std::string message = failure_of("a,b\r\nc,d\ne,f\r\n");
  CHECK_THAT(message, Catch::Contains("test.csv line 2") && Catch::Contains("LF"));
}

TEST_CASE("csv::Reader refuses a bare CR outside quotes", "[csv]")
{
  CHECK_THAT(failure_of("a\rb\r\n"), Catch::Contains("CR"));
  CHECK_THAT(failure_of("a\rb\r\n", lenient()), Catch::Contains("CR"));
  CHECK_THAT(failure_of("a\r"), Catch::Contains("CR"));
}

TEST_CASE("csv::Reader refuses a quote inside an unquoted field", "[csv]")
{
  CHECK_THAT(failure_of("ab\"c\r\n"), Catch::Contains("field 1") && Catch::Contains("quote"));
  CHECK_THAT(failure_of("x,ab\"c\n", lenient()), Catch::Contains("field 2"));
}

TEST_CASE("csv::Reader refuses anything but a comma or line break after a closing quote", "[csv]")
{
  CHECK_THAT(failure_of("\"a\"b\r\n"), Catch::Contains("after its closing quote"));
  CHECK_THAT(failure_of("\"a\" ,b\r\n"), Catch::Contains("' '"));
  CHECK_THAT(failure_of("\"a\"\x01\r\n"), Catch::Contains("0x01"));
}

TEST_CASE("csv::Reader refuses a file that ends inside quotes", "[csv]")
{
  CHECK_THAT(failure_of("a\r\n\"open\r\nfield"), Catch::Contains("ends inside field 1, quoted since line 2"));
  CHECK_THAT(failure_of("\"open", lenient()), Catch::Contains("ends inside"));
}

TEST_CASE("csv::Reader strict refuses a final row without a line break, lenient reads it", "[csv]")
{
  CHECK_THAT(failure_of("a,b\r\nc,d"), Catch::Contains("line 2") && Catch::Contains("no line break"));
  CHECK_THAT(failure_of("\"a\""), Catch::Contains("no line break"));
  CHECK(read_all("a,b\r\nc,d", lenient()) == Rows{{"a", "b"}, {"c", "d"}});
  CHECK(read_all("a,", lenient()) == Rows{{"a", ""}});
}

TEST_CASE("csv::Reader lenient accepts LF line ends", "[csv]")
{
  CHECK(read_all("a,b\nc,\"d\ne\"\n", lenient()) == Rows{{"a", "b"}, {"c", "d\ne"}});
}

TEST_CASE("csv::Reader lenient skips a UTF-8 byte order mark, strict keeps it as data", "[csv]")
{
  CHECK(read_all("\xEF\xBB\xBFid,name\n1,x\n", lenient()) == Rows{{"id", "name"}, {"1", "x"}});
  CHECK(read_all("\xEF\xBB\xBFid\r\n", lenient(), 1) == Rows{{"id"}});
  CHECK(read_all("\xEF\xBB\xBFid\r\n") == Rows{{"\xEF\xBB\xBFid"}});
  // Two bytes of a mark are no mark, and no UTF-8 either: refused, not skipped.
  CHECK_THAT(failure_of("\xEF\xBB", lenient()), Catch::Contains("not valid UTF-8"));
}

TEST_CASE("csv::Reader refuses invalid UTF-8 in both modes, naming the line and field", "[csv]")
{
  for (const std::string bad : {"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80",
                                "abcdefgh\xc3(", "\xf0\x9f\x99"}) {
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{1} << 20}) {
      INFO("bytes " << bad << ", chunk " << chunk);
      CHECK_THAT(failure_of("a\r\n\"x\r\n\",ok," + bad + "\r\n", {}, chunk),
                 Catch::Contains("line 3: field 3 is not valid UTF-8"));
      CHECK_THAT(failure_of("a\n\"x\n\",ok," + bad + "\n", lenient(), chunk),
                 Catch::Contains("line 3: field 3 is not valid UTF-8"));
    }
  }
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{1} << 20})
    CHECK(read_all("\xc3\xa9,\xe6\x9d\xb1,\xf0\x9f\x99\x82,\xef\xbf\xbf\r\n", {}, chunk) ==
          Rows{{"\xc3\xa9", "\xe6\x9d\xb1", "\xf0\x9f\x99\x82", "\xef\xbf\xbf"}});
}

TEST_CASE("csv::Reader refuses a field longer than its cap", "[csv]")
{
  ReaderOptions options;
  options.max_field_bytes = 8;
  CHECK(read_all("12345678,\"12345678\"\r\n", options) == Rows{{"12345678", "12345678"}});
  CHECK_THAT(failure_of("123456789\r\n", options), Catch::Contains("field 1 is longer than 8 bytes"));
  CHECK_THAT(failure_of("a,\"1234\"\"5678\"\r\n", options), Catch::Contains("field 2 is longer than 8 bytes"));
}

TEST_CASE("csv::Reader refuses a row with more fields than its cap", "[csv]")
{
  ReaderOptions options;
  options.max_fields = 3;
  CHECK(read_all("a,b,c\r\n", options) == Rows{{"a", "b", "c"}});
  CHECK_THAT(failure_of("a,b,c\r\nd,e,f,g\r\n", options),
             Catch::Contains("line 2") && Catch::Contains("more than 3 fields"));
}

TEST_CASE("csv::Reader refuses a row longer than its cap, in every mode", "[csv]")
{
  for (ReaderOptions options : {ReaderOptions{}, lenient()}) {
    options.max_row_bytes = 10;
    CHECK(read_all("12345,\"67890\"\r\nabcde,fghij\r\n", options) == Rows{{"12345", "67890"}, {"abcde", "fghij"}});
    CHECK_THAT(failure_of("12345,67890\r\nabcd,efg,hijk\r\n", options),
               Catch::Contains("test.csv line 2") && Catch::Contains("the row is longer than 10 bytes (at field 3)"));
    CHECK_THAT(failure_of("a,\"12345\"\"67890\"\r\n", options), Catch::Contains("row is longer than 10 bytes"));
  }
  // A row of gigabytes stops at the cap: the source is never read much beyond it.
  ReaderOptions options;
  options.max_row_bytes = 1 << 20;
  std::size_t handed_out = 0;
  Reader reader(
      [&handed_out](char* buffer, std::size_t capacity) {
        std::memset(buffer, 'x', capacity);
        handed_out += capacity;
        return capacity;
      },
      "endless.csv", options);
  std::vector<std::string> fields;
  CHECK_THROWS_AS(reader.next(fields), Error);
  CHECK(handed_out < (4 << 20));
}

TEST_CASE("csv::Reader refuses a source that returns more than it was asked for", "[csv]")
{
  Reader reader([](char*, std::size_t capacity) { return capacity + 1; }, "test.csv");
  std::vector<std::string> fields;
  try {
    reader.next(fields);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::internal);
  }
}

TEST_CASE("csv::Reader reads back exactly what csv::Writer wrote, whatever the source's chunk size", "[csv]")
{
  std::mt19937 random(4180);
  const std::vector<std::string> pieces = {",", "\"", "\r", "\n", "\r\n", "\"\"", "é", "東京", "🙂", " ", "x", "abc"};
  for (int round = 0; round < 60; ++round) {
    Rows rows(1 + random() % 20);
    const std::size_t width = 1 + random() % 8;
    for (auto& row : rows) {
      row.resize(width);
      for (auto& field : row) {
        const int shape = static_cast<int>(random() % 10);
        if (shape == 0)
          continue;  // empty
        const std::size_t piece_count = shape == 9 ? 500 + random() % 3000 : random() % 12;
        for (std::size_t index = 0; index < piece_count; ++index)
          field += pieces[random() % pieces.size()];
      }
    }
    std::string text;
    for (const auto& row : rows) {
      const std::vector<std::string_view> views(row.begin(), row.end());
      crm::csv::append_row(text, views);
    }
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64},
                                    std::size_t{4093}, std::size_t{1} << 20}) {
      INFO("round " << round << ", chunk " << chunk);
      REQUIRE(read_all(text, {}, chunk) == rows);
      REQUIRE(read_all(text, lenient(), chunk) == rows);
    }
  }
}
