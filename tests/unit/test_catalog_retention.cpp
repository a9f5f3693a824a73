#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/catalog/retention.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

using namespace crm::catalog;
using crm::parse_iso8601;
using crm::UnixTime;

namespace {

constexpr std::int64_t k_day = 24 * 3600;

BackupRecord backup_at(UnixTime time)
{
  BackupRecord record;
  record.id = make_backup_id(time);
  record.created_at = time;
  return record;
}

// One backup a day at 02:00 UTC from `first` to `last` (dates).
std::vector<BackupRecord> daily_backups(std::string_view first, std::string_view last)
{
  std::vector<BackupRecord> records;
  for (UnixTime day = parse_iso8601(first); day <= parse_iso8601(last); day += k_day)
    records.push_back(backup_at(day + 2 * 3600));
  return records;
}

std::set<std::string> kept_days(const std::vector<PruneDecision>& decisions)
{
  std::set<std::string> days;
  for (const auto& decision : decisions)
    if (decision.action == PruneAction::keep)
      days.insert(day_bucket(decision.record.created_at));
  return days;
}

const PruneDecision& decision_on(const std::vector<PruneDecision>& decisions, std::string_view day)
{
  for (const auto& decision : decisions)
    if (day_bucket(decision.record.created_at) == day)
      return decision;
  FAIL("no backup on " << day);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("buckets are the UTC day, the ISO week and the month", "[catalog]")
{
  CHECK(day_bucket(parse_iso8601("2026-01-25T23:59:59Z")) == "2026-01-25");
  CHECK(month_bucket(parse_iso8601("2026-01-25T23:59:59Z")) == "2026-01");
  CHECK(iso_week_bucket(parse_iso8601("2026-01-01T00:00:00Z")) == "2026-W01");  // a Thursday
  CHECK(iso_week_bucket(parse_iso8601("2027-01-01T00:00:00Z")) == "2026-W53");  // a Friday in 2026's last week
  CHECK(iso_week_bucket(parse_iso8601("2024-12-30T00:00:00Z")) == "2025-W01");  // a Monday in 2025's first week
  CHECK(iso_week_bucket(parse_iso8601("2026-01-25T12:00:00Z")) == "2026-W04");  // a Sunday ends its week
  CHECK(iso_week_bucket(parse_iso8601("2026-01-26T00:00:00Z")) == "2026-W05");
}

TEST_CASE("without keep rules every backup past its download window is removed", "[catalog]")
{
  const auto decisions =
      plan_retention(daily_backups("2026-01-01", "2026-01-31"), KeepRules{}, parse_iso8601("2026-01-31T12:00:00Z"));
  REQUIRE(decisions.size() == 31);
  // Backups of Jan 18 02:00 and later expire after Jan 31 12:00.
  CHECK(*kept_days(decisions).begin() == "2026-01-18");
  CHECK(kept_days(decisions).size() == 14);
  CHECK(decision_on(decisions, "2026-01-17").action == PruneAction::remove);
  CHECK(decision_on(decisions, "2026-01-17").reason == "expired on 2026-01-31 02:00 UTC and held by no keep rule");
  CHECK(decision_on(decisions, "2026-01-18").reason == "inside the download window until 2026-02-01 02:00 UTC");
}

TEST_CASE("the newest backup is kept when every backup has expired, unless allow_empty", "[catalog]")
{
  const auto records = daily_backups("2026-01-01", "2026-01-03");
  const UnixTime later = parse_iso8601("2026-03-01T00:00:00Z");
  const auto decisions = plan_retention(records, KeepRules{}, later);
  REQUIRE(decisions.size() == 3);
  CHECK(decisions[0].action == PruneAction::keep);
  CHECK(decisions[0].reason == "the newest backup; --allow-empty removes it too");
  CHECK(decisions[1].action == PruneAction::remove);
  CHECK(decisions[2].action == PruneAction::remove);

  KeepRules allow_empty;
  allow_empty.allow_empty = true;
  for (const PruneDecision& decision : plan_retention(records, allow_empty, later))
    CHECK(decision.action == PruneAction::remove);
}

TEST_CASE("decisions come newest first", "[catalog]")
{
  auto records = daily_backups("2026-01-01", "2026-01-10");
  std::reverse(records.begin(), records.end());
  std::swap(records[2], records[7]);
  const auto decisions = plan_retention(records, KeepRules{}, parse_iso8601("2026-01-10T12:00:00Z"));
  for (std::size_t index = 1; index < decisions.size(); ++index)
    CHECK(decisions[index - 1].record.created_at > decisions[index].record.created_at);
}

TEST_CASE("four months of daily backups with keep-daily 7, keep-weekly 4, keep-monthly 3", "[catalog]")
{
  const auto decisions = plan_retention(daily_backups("2026-01-01", "2026-04-30"), KeepRules{7, 4, 3},
                                        parse_iso8601("2026-04-30T12:00:00Z"));
  REQUIRE(decisions.size() == 120);
  std::set<std::string> expected;
  for (int day = 17; day <= 30; ++day)  // the download window
    expected.insert(fmt::format("2026-04-{:02}", day));
  expected.insert("2026-04-12");  // keep-weekly: newest of 2026-W15
  expected.insert("2026-03-31");  // keep-monthly: newest of March
  expected.insert("2026-02-28");  // keep-monthly: newest of February
  CHECK(kept_days(decisions) == expected);
  CHECK(decision_on(decisions, "2026-04-12").reason == "keep-weekly 2026-W15");
  CHECK(decision_on(decisions, "2026-03-31").reason == "keep-monthly 2026-03");
  CHECK(decision_on(decisions, "2026-01-31").action == PruneAction::remove);
}

TEST_CASE("keep-daily counts only days that have backups", "[catalog]")
{
  // Backups on Jan 1, 2, 3, then none until Mar 1; now is Mar 20.
  std::vector<BackupRecord> records;
  for (const char* day : {"2026-01-01", "2026-01-02", "2026-01-03", "2026-03-01"})
    records.push_back(backup_at(parse_iso8601(day) + 3600));
  const auto decisions = plan_retention(records, KeepRules{3, 0, 0}, parse_iso8601("2026-03-20T00:00:00Z"));
  CHECK(kept_days(decisions) == std::set<std::string>{"2026-01-02", "2026-01-03", "2026-03-01"});
  CHECK(decision_on(decisions, "2026-01-03").reason == "keep-daily 2026-01-03");
}

TEST_CASE("keep-daily keeps the newest backup of a day with several", "[catalog]")
{
  const UnixTime day = parse_iso8601("2026-01-05");
  std::vector<BackupRecord> records{backup_at(day + 3600), backup_at(day + 7200), backup_at(day + 10800)};
  const auto decisions = plan_retention(records, KeepRules{1, 0, 0}, day + 60 * k_day);
  REQUIRE(decisions.size() == 3);
  CHECK(decisions[0].record.created_at == day + 10800);
  CHECK(decisions[0].action == PruneAction::keep);
  CHECK(decisions[1].action == PruneAction::remove);
  CHECK(decisions[2].action == PruneAction::remove);
}

TEST_CASE("one backup held by several rules names them all", "[catalog]")
{
  std::vector<BackupRecord> records{backup_at(parse_iso8601("2026-01-31T02:00:00Z"))};
  const auto decisions = plan_retention(records, KeepRules{1, 1, 1}, parse_iso8601("2026-06-01"));
  CHECK(decisions.at(0).reason == "keep-daily 2026-01-31, keep-weekly 2026-W05, keep-monthly 2026-01");
}

TEST_CASE("a negative keep rule is a usage error", "[catalog]")
{
  try {
    plan_retention({}, KeepRules{-1, 0, 0}, 0);
    FAIL("accepted");
  } catch (const crm::Error& error) {
    CHECK(error.kind() == crm::ErrorKind::usage);
  }
}
