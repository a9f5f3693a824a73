#include "crm/catalog/retention.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/download_window.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace crm::catalog {

namespace {

using namespace std::chrono;

sys_days day_of(UnixTime time) { return floor<days>(sys_seconds{seconds{time}}); }

// Marks, for one rule, the newest backup of each of the `count` newest buckets.
template <typename BucketFn>
void apply_rule(std::vector<PruneDecision>& decisions, std::vector<std::string>& holds, int count,
                std::string_view rule_name, BucketFn bucket_of)
{
  std::string last_bucket;
  int buckets_held = 0;
  for (std::size_t index = 0; index < decisions.size() && buckets_held < count; ++index) {
    std::string bucket = bucket_of(decisions[index].record.created_at);
    if (bucket == last_bucket)
      continue;
    // Newest first, so the first backup met in a bucket is its newest.
    holds[index] += fmt::format("{}{} {}", holds[index].empty() ? "" : ", ", rule_name, bucket);
    last_bucket = std::move(bucket);
    ++buckets_held;
  }
}

}  // namespace

std::string day_bucket(UnixTime time)
{
  const year_month_day date{day_of(time)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string iso_week_bucket(UnixTime time)
{
  // The ISO week-year is the year of the week's Thursday; week 1 holds the
  // year's first Thursday.
  const sys_days day = day_of(time);
  const int days_since_monday = static_cast<int>(weekday{day}.iso_encoding()) - 1;
  const sys_days thursday = day - days{days_since_monday} + days{3};
  const year week_year = year_month_day{thursday}.year();
  const sys_days first_of_year = sys_days{week_year / January / 1};
  const int week = static_cast<int>((thursday - first_of_year).count() / 7) + 1;
  return fmt::format("{:04}-W{:02}", static_cast<int>(week_year), week);
}

std::string month_bucket(UnixTime time)
{
  const year_month_day date{day_of(time)};
  return fmt::format("{:04}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()));
}

std::vector<PruneDecision> plan_retention(std::vector<BackupRecord> records, const KeepRules& rules, UnixTime now)
{
  if (rules.daily < 0 || rules.weekly < 0 || rules.monthly < 0)
    throw Error(ErrorKind::usage, "keep rules cannot be negative",
                "give --keep-daily, --keep-weekly and --keep-monthly 0 or more");
  std::sort(records.begin(), records.end(), [](const BackupRecord& a, const BackupRecord& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  std::vector<PruneDecision> decisions;
  decisions.reserve(records.size());
  for (auto& record : records)
    decisions.push_back(PruneDecision{std::move(record), PruneAction::keep, {}});

  std::vector<std::string> holds(decisions.size());
  apply_rule(decisions, holds, rules.daily, "keep-daily", day_bucket);
  apply_rule(decisions, holds, rules.weekly, "keep-weekly", iso_week_bucket);
  apply_rule(decisions, holds, rules.monthly, "keep-monthly", month_bucket);

  for (std::size_t index = 0; index < decisions.size(); ++index) {
    PruneDecision& decision = decisions[index];
    const UnixTime expiry = expires_at(decision.record);
    if (!is_expired(decision.record, now)) {
      decision.reason = fmt::format("inside the download window until {}", format_human(expiry));
    } else if (!holds[index].empty()) {
      decision.reason = std::move(holds[index]);
    } else {
      decision.action = PruneAction::remove;
      decision.reason = fmt::format("expired on {} and held by no keep rule", format_human(expiry));
    }
  }
  if (!rules.allow_empty && !decisions.empty() && decisions.front().action == PruneAction::remove) {
    decisions.front().action = PruneAction::keep;
    decisions.front().reason = "the newest backup; --allow-empty removes it too";
  }
  return decisions;
}

}  // namespace crm::catalog
