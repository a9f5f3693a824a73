#include "crm/notify/notifier.hpp"

#include <crm/base/error.hpp>
#include <crm/notify/command.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace crm::notify {

namespace {

// Runs `record`, turning any failure into a warning line about `where`.
template <typename Record> void try_record(std::string_view where, const Record& record, const LineFn& print)
{
  try {
    record();
  } catch (const Error& error) {
    print(fmt::format("warning: could not record the notification in {}: {}", where, error.line()));
  } catch (const std::exception& error) {
    print(fmt::format("warning: could not record the notification in {}: {}", where, error.what()));
  }
}

}  // namespace

std::string configured_command(const catalog::Settings& settings)
{
  const char* command = std::getenv("CRM_NOTIFY_COMMAND");
  if (command != nullptr && *command != '\0')
    return command;
  return settings.get("notify_command").value_or("");
}

void deliver(const Event& event, const Destinations& to, const LineFn& print_line)
{
  const auto print = [&](std::string_view line) {
    if (print_line)
      print_line(line);
  };
  const store::Notification notification{event.at, event.user, event.kind, event.message};
  // The rows are written first so that a user looking at the journal or the
  // CRM sees the outcome even when the stderr line goes nowhere (cron).
  if (to.journal)
    try_record(
        "the journal", [&] { to.journal->add_notification(to.store_id, notification); }, print);
  if (to.store)
    try_record(
        "the CRM", [&] { to.store->notify_in_crm(notification); }, print);
  print(event.message);
  if (to.command.empty())
    return;
  const CommandOutcome outcome = run_command(to.command, event.environment);
  if (!outcome.is_success)
    print(fmt::format("warning: the notify command {} (check CRM_NOTIFY_COMMAND or the repository's "
                      "notify_command setting)",
                      outcome.problem));
}

}  // namespace crm::notify
