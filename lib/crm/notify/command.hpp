#pragma once
// Runs a user's notify command: /bin/sh -c COMMAND, with our environment
// less the variables that carry secrets (base/secret_memory.hpp) plus extra
// variables, its stdin from /dev/null and its stdout sent to our stderr (our
// stdout carries results only, which a script may be parsing).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::notify {

struct CommandOutcome {
  bool is_success = false;
  std::string problem;  // "exited with status 3", "was killed by signal 9", ...
};

// Waits for the command to finish. Never throws for the command's own
// failure; that is reported in the outcome.
CommandOutcome run_command(std::string_view command,
                           const std::vector<std::pair<std::string, std::string>>& environment);

}  // namespace crm::notify
