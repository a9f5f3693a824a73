#include "crm/schedule/configuration.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/base/error.hpp>
#include <crm/schedule/stored_schedule.hpp>

#include <fmt/format.h>

#include <charconv>

namespace crm::schedule {

namespace {

constexpr std::string_view k_keep_daily = "schedule.keep_daily";
constexpr std::string_view k_keep_weekly = "schedule.keep_weekly";
constexpr std::string_view k_keep_monthly = "schedule.keep_monthly";

void require_super_admin(store::Store& store, std::string_view user, std::string_view action)
{
  auto reader = store.read();
  auth::require_super_admin(reader->find_user(user), user, action);
}

int read_count(catalog::Repository& repository, std::string_view key)
{
  const std::optional<std::string> text = repository.settings().get(key);
  if (!text)
    return 0;
  int value = 0;
  const auto [end, problem] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (problem != std::errc() || end != text->data() + text->size() || value < 0)
    throw Error(ErrorKind::config, fmt::format("the repository's setting {} is not a count: '{}'", key, *text),
                "set the keep rules again with crm-schedule enable --keep-...");
  return value;
}

}  // namespace

EnableResult enable(store::Store& store, const std::filesystem::path& directory, std::string_view user,
                    const EnableRequest& request, const Clock& clock)
{
  {
    auto reader = store.read();
    auth::require_super_admin(reader->find_user(user), user, "schedule backups");
    auth::require_tier(reader->account(), store::PlanTier::enterprise, "scheduled backups");
  }
  Cadence cadence;
  cadence.every_weeks = request.every_weeks;
  cadence.weekday = request.weekday;
  cadence.hour = request.at.hour;
  cadence.minute = request.at.minute;
  cadence.time_zone = request.time_zone;
  cadence.anchor = clock.now();
  validate(cadence);
  if (request.keep && (request.keep->daily < 0 || request.keep->weekly < 0 || request.keep->monthly < 0))
    throw Error(ErrorKind::usage, "a keep rule is negative", "give a count of 0 or more");
  // cron and systemd start `run` in another directory: the path is absolute.
  std::optional<std::filesystem::path> new_passphrase_file;
  if (request.passphrase_file && !request.passphrase_file->empty()) {
    new_passphrase_file = std::filesystem::absolute(*request.passphrase_file).lexically_normal();
    require_passphrase_file(*new_passphrase_file);
  }

  catalog::Repository repository = catalog::Repository::open(directory, catalog::OpenIntent::create);
  // Configuration fields onto a fresh read, so a run's recorded state stays.
  catalog::ScheduleRecord record = repository.schedule().get().value_or(catalog::ScheduleRecord{});
  record.is_enabled = true;
  set_cadence(record, cadence);
  record.user = std::string(user);
  // Slots of an earlier cadence say nothing about this one.
  record.last_attempted_slot.reset();
  repository.schedule().set(record);
  if (request.keep) {
    repository.settings().set(k_keep_daily, std::to_string(request.keep->daily));
    repository.settings().set(k_keep_weekly, std::to_string(request.keep->weekly));
    repository.settings().set(k_keep_monthly, std::to_string(request.keep->monthly));
  }
  if (request.passphrase_file)
    set_passphrase_file(repository, new_passphrase_file);
  return {record, next_slot_after(cadence, cadence.anchor), describe(cadence), passphrase_file(repository)};
}

bool disable(store::Store& store, const std::filesystem::path& directory, std::string_view user)
{
  require_super_admin(store, user, "change the backup schedule");
  catalog::Repository repository = catalog::Repository::open(directory, catalog::OpenIntent::write);
  std::optional<catalog::ScheduleRecord> record = repository.schedule().get();
  if (!record || !record->is_enabled)
    return false;
  record->is_enabled = false;
  repository.schedule().set(*record);
  return true;
}

catalog::KeepRules keep_rules(catalog::Repository& repository)
{
  catalog::KeepRules rules;
  rules.daily = read_count(repository, k_keep_daily);
  rules.weekly = read_count(repository, k_keep_weekly);
  rules.monthly = read_count(repository, k_keep_monthly);
  return rules;
}

}  // namespace crm::schedule
