#pragma once
// Tells the user that a backup or a restore is done (SPEC §1 "notify"), in
// three ways: a notification row in the store, one line on stderr, and, when
// one is configured, a notify command run through /bin/sh -c with the result
// in its environment. Notifying never fails the job it reports on: a
// notification that cannot be delivered becomes a warning line instead.

#include <crm/base/clock.hpp>
#include <crm/store/store.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::notify {

struct Event {
  std::string kind;     // "backup.ready", "backup.failed", "restore.done"
  std::string user;     // who the notification is for
  std::string message;  // one line, without the program name
  UnixTime at = 0;
  // Given to the notify command on top of the inherited environment:
  // {"CRM_BACKUP_ID", "..."}, {"CRM_BACKUP_STATE", "ready"}, ...
  std::vector<std::pair<std::string, std::string>> environment;
};

// Receives each line meant for stderr, without the program name and newline.
using LineFn = std::function<void(std::string_view line)>;

// Delivers `event`: adds the notification row through `store` (nullptr: no
// row), prints event.message through `print_line` (empty: nothing printed),
// then runs `command` when it is not empty. Every delivery that fails is
// printed as a "warning: ..." line; nothing is thrown.
void deliver(store::Store* store, const Event& event, std::string_view command, const LineFn& print_line);

}  // namespace crm::notify
