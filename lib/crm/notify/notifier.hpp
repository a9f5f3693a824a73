#pragma once
// Tells the user that a backup or a restore is done (SPEC §1 "notify"), the
// same way for both: a notification in the journal, one on the CRM's own
// notification screen where the backend has one, one line on stderr, and,
// when one is configured, a notify command run through /bin/sh -c with the
// result in its environment. Notifying never fails the job it reports on: a
// notification that cannot be delivered becomes a warning line instead.

#include <crm/base/clock.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/catalog/settings.hpp>
#include <crm/store/store.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::notify {

struct Event {
  std::string kind;     // "backup.ready", "backup.failed", "restore.done", "restore.failed"
  std::string user;     // who the notification is for
  std::string message;  // one line, without the program name
  UnixTime at = 0;
  // Given to the notify command on top of its environment:
  // {"CRM_BACKUP_ID", "..."}, {"CRM_BACKUP_STATE", "ready"}, ...
  std::vector<std::pair<std::string, std::string>> environment;
};

// Where an event goes; every part may be missing.
struct Destinations {
  catalog::Journal* journal = nullptr;  // the journal's row
  store::Store* store = nullptr;        // the CRM's notification screen, where the backend has one
  std::string store_id;                 // keys the journal's row
  std::string command;                  // the notify command; "" for none
};

// The notify command of a backup, restore or scheduled run: CRM_NOTIFY_COMMAND
// when it is set and not empty, else the repository's notify_command setting
// (crm-backup config set notify-command), else "" (none).
std::string configured_command(const catalog::Settings& settings);

// Receives each line meant for stderr, without the program name and newline.
using LineFn = std::function<void(std::string_view line)>;

// Delivers `event` to each destination in turn, then prints event.message
// through `print_line` (empty: nothing printed). Every delivery that fails is
// printed as a "warning: ..." line; nothing is thrown.
void deliver(const Event& event, const Destinations& to, const LineFn& print_line);

}  // namespace crm::notify
