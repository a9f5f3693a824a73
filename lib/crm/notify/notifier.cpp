#include <crm/base/error.hpp>
#include <crm/notify/command.hpp>
#include <crm/notify/notifier.hpp>

#include <fmt/format.h>

namespace crm::notify {

void deliver(store::Store* store, const Event& event, std::string_view command, const LineFn& print_line)
{
  const auto print = [&](std::string_view line) {
    if (print_line)
      print_line(line);
  };
  if (store) {
    // The row is written first so that a user looking at the CRM sees the
    // outcome even when the stderr line goes nowhere (cron).
    try {
      auto writer = store->write();
      writer->add_notification(store::Notification{event.at, event.user, event.kind, event.message});
      writer->commit();
    } catch (const Error& error) {
      print(fmt::format("warning: could not record the notification in the store: {}", error.line()));
    } catch (const std::exception& error) {
      print(fmt::format("warning: could not record the notification in the store: {}", error.what()));
    }
  }
  print(event.message);
  if (command.empty())
    return;
  const CommandOutcome outcome = run_command(command, event.environment);
  if (!outcome.is_success)
    print(fmt::format("warning: the notify command {} (check CRM_NOTIFY_COMMAND or the repository's "
                      "notify_command setting)",
                      outcome.problem));
}

}  // namespace crm::notify
