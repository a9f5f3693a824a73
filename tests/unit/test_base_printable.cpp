#include <crm/base/printable.hpp>

#include <catch2/catch.hpp>

using crm::printable;
using crm::without_control_characters;

TEST_CASE("printable escapes terminal escapes, line breaks and non-ASCII bytes, and caps the length", "[base]")
{
  CHECK(printable("contacts.csv") == "contacts.csv");
  CHECK(printable("a\nb\rc\x1b[2J") == "a\\x0ab\\x0dc\\x1b[2J");
  CHECK(printable("say \"hi\" \\ caf\xc3\xa9") == "say \\x22hi\\x22 \\x5c caf\\xc3\\xa9");
  CHECK(printable(std::string_view("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(printable(std::string(1 << 20, 'x')) == std::string(crm::k_max_printed_bytes, 'x') + "...");
  CHECK(printable("abcdef", 3) == "abc...");
}

TEST_CASE("without_control_characters keeps one line and UTF-8 text", "[base]")
{
  CHECK(without_control_characters("Zo\xc3\xab \xe6\x9d\xb1\xe4\xba\xac") == "Zo\xc3\xab \xe6\x9d\xb1\xe4\xba\xac");
  CHECK(without_control_characters("line\nbreak\x1b]0;title\x07") == "line\\x0abreak\\x1b]0;title\\x07");
  CHECK(without_control_characters(std::string(10000, 'y')).size() == 4096 + 3);
}

TEST_CASE("shown_value quotes a value, keeps UTF-8, escapes control characters and cuts at a character", "[base]")
{
  CHECK(crm::shown_value("") == "(empty)");
  CHECK(crm::shown_value("São Paulo") == "\"São Paulo\"");
  CHECK(crm::shown_value("a\nb\x1b[2J") == "\"a\\x0ab\\x1b[2J\"");
  // "ã" is two bytes; a cut after 2 bytes would split it.
  CHECK(crm::shown_value("São", 2) == "\"S\"...");
  CHECK(crm::shown_value("abcdef", 3) == "\"abc\"...");
  CHECK(crm::shown_value("abc", 3) == "\"abc\"");
}
