#include "support/temp_dir.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_codec.hpp>
#include <crm/restore/plan_reader.hpp>
#include <crm/restore/plan_writer.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <iterator>
#include <sys/stat.h>

using namespace crm;
using namespace crm::restore;

namespace {

PlanHeader sample_header()
{
  PlanHeader header;
  header.store_id = "store-aaaa";
  header.account_id = "portal-1";
  header.created_at = 1767225600;
  header.created_by = "admin";
  header.source = {"backup", "20260101T000000Z-abcd", "/b.zip", "ab", 1767225000, true, 0};
  header.object_name = "deals";
  header.object_type_id = "0-3";
  header.object_singular = "Deal";
  header.properties = {"dealstage", "amount"};
  header.refused = {{"hs_createdate", "read-only or calculated"}};
  return header;
}

std::string write_sample(const std::filesystem::path& path)
{
  PlanWriter writer(path, sample_header());
  writer.add_change({1, {"dealstage"}, {"closedlost"}, {"qualifiedtobuy"}});
  writer.add_change({4, {"dealstage", "amount"}, {"a", "999"}, {"b, \"quoted\"\r\nZoë 東京", ""}});
  writer.add_deleted({5, true});
  writer.add_deleted({7, false});
  PlanSummary summary;
  summary.records_unchanged = 2;
  summary.records_created = 1;
  summary.workflows = {{1, "Stage follow-up", {"dealstage"}, 2}};
  return writer.commit(summary);
}

ErrorKind kind_of_reading(const std::filesystem::path& path)
{
  try {
    PlanReader reader(path);
    PlanChange change;
    while (reader.next_change(change)) {
    }
    reader.finish();
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::internal;  // "no error" for these tests
}

}  // namespace

TEST_CASE("A plan file reads back exactly what was written", "[restore]")
{
  test::TempDir dir;
  const std::string hash = write_sample(dir / "p.plan");
  CHECK(hash == crm::crypto::file_sha256(dir / "p.plan"));
  PlanReader reader(dir / "p.plan");
  CHECK(reader.header().properties == std::vector<std::string>{"dealstage", "amount"});
  CHECK(reader.header().refused.at(0).reason == "read-only or calculated");
  CHECK(reader.header().source.backup_id == "20260101T000000Z-abcd");
  PlanChange change;
  REQUIRE(reader.next_change(change));
  CHECK(change.id == 1);
  REQUIRE(reader.next_change(change));
  CHECK(change.id == 4);
  CHECK(change.after.at(0) == "b, \"quoted\"\r\nZoë 東京");
  CHECK(change.after.at(1).empty());
  CHECK_FALSE(reader.next_change(change));
  DeletedRecord deleted;
  REQUIRE(reader.next_deleted(deleted));
  CHECK((deleted.id == 5 && deleted.is_in_recycle_bin));
  REQUIRE(reader.next_deleted(deleted));
  CHECK((deleted.id == 7 && !deleted.is_in_recycle_bin));
  CHECK_FALSE(reader.next_deleted(deleted));
  const PlanSummary& summary = reader.finish();
  CHECK(summary.records_to_change == 2);
  CHECK(summary.values_to_set == 2);
  CHECK(summary.values_to_clear == 1);
  CHECK(summary.records_deleted == 2);
  CHECK(summary.records_in_recycle_bin == 1);
  CHECK(summary.records_unchanged == 2);
  CHECK(summary.workflows.at(0).records == 2);
}

TEST_CASE("A plan file is private and the same plan always has the same bytes", "[restore]")
{
  test::TempDir dir;
  const std::string first = write_sample(dir / "a.plan");
  const std::string second = write_sample(dir / "b.plan");
  CHECK(first == second);
  struct stat status {};
  REQUIRE(::stat((dir / "a.plan").c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0600);
}

TEST_CASE("A plan file edited by hand is refused as damaged", "[restore]")
{
  test::TempDir dir;
  write_sample(dir / "p.plan");
  const std::string original = read_small_file(dir / "p.plan");
  auto check_edit = [&](const std::string& from, const std::string& to) {
    std::string edited = original;
    const auto at = edited.find(from);
    REQUIRE(at != std::string::npos);
    edited.replace(at, from.size(), to);
    write_file_atomically(dir / "edited.plan", edited);
    CHECK(kind_of_reading(dir / "edited.plan") == ErrorKind::data);
  };
  SECTION("a value changed so the summary no longer matches")
  {
    check_edit("\"after\":[\"qualifiedtobuy\"]", "\"after\":[\"\"]");
  }
  SECTION("a property the plan does not restore")
  {
    check_edit("\"properties\":[\"dealstage\"]", "\"properties\":[\"dealname\"]");
  }
  SECTION("records out of order") { check_edit("\"id\":4", "\"id\":1"); }
  SECTION("the summary removed") { check_edit(original.substr(original.rfind("{\"kind\":\"summary\"")), ""); }
  SECTION("a line that is not JSON") { check_edit("\"kind\":\"deleted\"", "kind:deleted"); }
  SECTION("a newer format version") { check_edit("\"version\":2", "\"version\":99"); }
  SECTION("a line after the summary")
  {
    write_file_atomically(dir / "edited.plan", original + original.substr(0, original.find('\n') + 1));
    CHECK(kind_of_reading(dir / "edited.plan") == ErrorKind::data);
  }
}

TEST_CASE("A plan file that does not exist is not found", "[restore]")
{
  test::TempDir dir;
  CHECK(kind_of_reading(dir / "missing.plan") == ErrorKind::not_found);
}

TEST_CASE("An undo file is not accepted as a plan", "[restore]")
{
  test::TempDir dir;
  {
    PlanWriter writer(dir / "u.undo", sample_header(), k_undo_format_name);
    writer.commit({});
  }
  CHECK(kind_of_reading(dir / "u.undo") == ErrorKind::data);
  CHECK_NOTHROW(PlanReader(dir / "u.undo", k_undo_format_name).finish());
}

// Found by the undo fuzz target (fuzz/regressions/undo/): each refused
// header left a file descriptor open, until a long-running process (the
// scheduler, a test runner, the fuzzer) could open no more files.
TEST_CASE("A plan file whose header is refused leaves no file open", "[restore]")
{
  test::TempDir dir;
  auto open_files = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator());
  };
  write_file_atomically(dir / "empty.plan", "");
  write_file_atomically(dir / "not-json.plan", "plan\n");
  {
    PlanWriter writer(dir / "u.undo", sample_header(), k_undo_format_name);
    writer.commit({});
  }
  const auto before = open_files();
  for (int attempt = 0; attempt < 3; ++attempt) {
    CHECK(kind_of_reading(dir / "empty.plan") == ErrorKind::data);
    CHECK(kind_of_reading(dir / "not-json.plan") == ErrorKind::data);
    CHECK(kind_of_reading(dir / "u.undo") == ErrorKind::data);
  }
  CHECK(open_files() == before);
}

TEST_CASE("A value that is not valid UTF-8 is refused, never replaced, and no plan appears", "[restore]")
{
  test::TempDir dir;
  {
    PlanWriter writer(dir / "p.plan", sample_header());
    try {
      writer.add_change({1, {"dealstage"}, {"closedlost"}, {"caf\xe9"}});
      FAIL("accepted");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::data);
      CHECK_THAT(error.what(), Catch::Contains("not valid UTF-8"));
    }
  }
  CHECK_FALSE(std::filesystem::exists(dir / "p.plan"));
}

// Found reading the fuzz targets: the version was narrowed to int before it
// was checked (2^32 + 1 read as version 1), and an id past INT64_MAX came
// back negative.
TEST_CASE("A plan line's version or id too large for its type is refused, not wrapped", "[restore]")
{
  test::TempDir dir;
  write_sample(dir / "p.plan");
  const std::string plan = read_small_file(dir / "p.plan");
  // The line with the number after `key` replaced by `number`, decoded.
  auto decoded_kind = [](std::string line, const std::string& key, const std::string& number) {
    const auto at = line.find(key);
    REQUIRE(at != std::string::npos);
    const auto digits = at + key.size();
    line.replace(digits, line.find_first_not_of("0123456789", digits) - digits, number);
    DecodedLine out;
    try {
      decode_line(line, "the plan", out);
      return ErrorKind::internal;  // accepted
    } catch (const Error& error) {
      return error.kind();
    }
  };
  const std::string header = plan.substr(0, plan.find('\n'));
  CHECK(decoded_kind(header, "\"version\":", "1") == ErrorKind::internal);  // the line as written
  CHECK(decoded_kind(header, "\"version\":", "4294967297") == ErrorKind::data);
  const auto kind_at = plan.find("\"kind\":\"change\"");
  REQUIRE(kind_at != std::string::npos);
  const auto change_at = plan.rfind('\n', kind_at) + 1;
  const std::string change = plan.substr(change_at, plan.find('\n', change_at) - change_at);
  CHECK(decoded_kind(change, "\"id\":", "9223372036854775807") == ErrorKind::internal);
  CHECK(decoded_kind(change, "\"id\":", "9223372036854775812") == ErrorKind::data);
}

// Version 2 wrote times as RFC 3339 text and missing ids as null; plans
// written by version 1 (Unix seconds, "" and 0) must still apply.
TEST_CASE("A version 1 plan header decodes to the same header as version 2", "[restore]")
{
  test::TempDir dir;
  write_sample(dir / "p.plan");
  const std::string plan = read_small_file(dir / "p.plan");
  DecodedLine current;
  decode_line(plan.substr(0, plan.find('\n')), "the plan", current);

  auto v1 = nlohmann::json::parse(plan.substr(0, plan.find('\n')));
  v1["version"] = 1;
  v1["created_at"] = 1767225600;
  v1["source"]["snapshot_time"] = 1767225000;
  v1["source"]["undo_of_import"] = 0;
  DecodedLine old;
  decode_line(v1.dump(), "the plan", old);
  CHECK(old.header.created_at == current.header.created_at);
  CHECK(old.header.source.snapshot_time == current.header.source.snapshot_time);
  CHECK(old.header.source.undo_of_import == current.header.source.undo_of_import);
  CHECK(old.header.source.backup_id == current.header.source.backup_id);
  CHECK(current.header.format_version == 2);

  v1["source"]["backup_id"] = "";
  decode_line(v1.dump(), "the plan", old);
  CHECK(old.header.source.backup_id.empty());
}

// Change and deleted lines are read by a fast path of our own; whatever it
// accepts must decode exactly as nlohmann::json reads the same line, and
// whatever nlohmann refuses must be refused.
TEST_CASE("A change line decodes the same by the fast path as by nlohmann, whatever its bytes", "[restore]")
{
  std::string every_control;
  for (char byte = 1; byte < 0x20; ++byte)
    every_control.push_back(byte);
  const std::vector<PlanChange> changes{
      {1, {"a", "b"}, {"", "x"}, {"y", ""}},
      {2, {"c"}, {"\"quoted\" \\ back/slash"}, {every_control}},
      {9223372036854775807, {"d", "e"}, {"Zoë 東京 🎉", "\x7f"}, {"tab\there", std::string(5000, 'z')}},
  };
  const auto reference = [](const std::string& line, PlanChange& out) {
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || parsed.value("kind", "") != "change")
      return false;
    out.id = parsed.at("id").get<std::int64_t>();
    out.properties = parsed.at("properties").get<std::vector<std::string>>();
    out.before = parsed.at("before").get<std::vector<std::string>>();
    out.after = parsed.at("after").get<std::vector<std::string>>();
    return true;
  };
  std::uint64_t state = 42;
  const auto random = [&state](std::uint64_t below) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % below;
  };
  const std::string replacements = "\"\\,:[]{}0123456789-.eEtrufalsn u\x80\xc3\xa9\xff\x01";
  int accepted = 0;
  int refused = 0;
  for (const auto& change : changes) {
    const std::string line = encode_change(change);
    DecodedLine out;
    decode_line(line, "the plan", out);
    CHECK(out.change.id == change.id);
    CHECK(out.change.before == change.before);
    CHECK(out.change.after == change.after);
    for (int round = 0; round < 4000; ++round) {
      std::string mutated = line;
      for (std::uint64_t edits = 1 + random(3); edits > 0; --edits) {
        const auto at = random(mutated.size());
        switch (random(3)) {
        case 0: mutated[at] = replacements[random(replacements.size())]; break;
        case 1: mutated.erase(at, 1); break;
        default: mutated.insert(at, 1, replacements[random(replacements.size())]); break;
        }
      }
      PlanChange expected;
      bool is_expected_change = false;
      try {
        is_expected_change = reference(mutated, expected);
      } catch (const nlohmann::json::exception&) {  // a member of the wrong type
      }
      try {
        decode_line(mutated, "the plan", out);
      } catch (const Error& error) {
        CHECK(error.kind() == ErrorKind::data);
        ++refused;
        continue;
      }
      ++accepted;
      if (out.kind != LineKind::change)
        continue;
      INFO(mutated);
      REQUIRE(is_expected_change);
      CHECK(out.change.id == expected.id);
      CHECK(out.change.properties == expected.properties);
      CHECK(out.change.before == expected.before);
      CHECK(out.change.after == expected.after);
    }
  }
  CHECK(accepted > 100);
  CHECK(refused > 100);
}
