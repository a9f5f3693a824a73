#pragma once
// Retention (SPEC §2 `prune`), on top of the 14-day download window.
//
// A backup inside its download window is always kept. Past it, it is removed
// unless a keep rule holds it. The rules follow restic's `forget`: with
// keep-daily N, walk the backups newest first and keep the newest backup of
// each UTC day until N days are held; only days that have backups count, so a
// week without backups does not use up the rule. keep-weekly buckets by ISO
// 8601 week (UTC), keep-monthly by calendar month (UTC). The rules look at
// every backup, those inside the window included, and one backup may be held
// by several rules. The newest backup is kept whatever the rules say, so that
// a prune never leaves a repository empty, unless `allow_empty`.
// docs/repository.md has a worked example.

#include <crm/base/clock.hpp>
#include <crm/catalog/backup_record.hpp>

#include <string>
#include <vector>

namespace crm::catalog {

struct KeepRules {
  int daily = 0;
  int weekly = 0;
  int monthly = 0;
  bool allow_empty = false;  // --allow-empty: the newest backup may go too
};

enum class PruneAction { keep, remove };

struct PruneDecision {
  BackupRecord record;
  PruneAction action = PruneAction::keep;
  // Why: "inside the download window until 2026-02-08 02:00 UTC",
  // "keep-daily 2026-01-25, keep-monthly 2026-01", "the newest backup", or
  // "expired on 2026-02-08 02:00 UTC and held by no keep rule".
  std::string reason;
};

// Decides for every record (any order); the result is newest first. Throws
// Error(usage) for a negative rule.
std::vector<PruneDecision> plan_retention(std::vector<BackupRecord> records, const KeepRules& rules, UnixTime now);

// The bucket names the rules use, for a time in UTC: "2026-01-25",
// "2026-W04" (ISO 8601 week-year and week), "2026-01".
std::string day_bucket(UnixTime time);
std::string iso_week_bucket(UnixTime time);
std::string month_bucket(UnixTime time);

}  // namespace crm::catalog
