#pragma once
// Runs a program as a child process with an argument vector (no shell) and
// exactly the environment given (nothing of ours is inherited), stdin from
// /dev/null; streams its stdout to a callback and keeps the end of its
// stderr. The child is killed when we die (PR_SET_PDEATHSIG), so a kill -9 of
// ours never leaves it running on, and runs with umask 077: the files it
// creates (an archive copied to a local directory) are private to their owner.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

struct ChildOutcome {
  bool is_success = false;   // exited with status 0
  int exit_status = -1;      // when it exited; -1 when killed or never started
  std::string problem;       // "exited with status 3", "was killed by signal 9", "could not be started: ..."
  std::string error_output;  // the last k_max_error_output bytes of its stderr, as it wrote them
};

inline constexpr std::size_t k_max_error_output = 8192;

// `argv[0]` is looked up in the PATH of `environment` when it holds no '/'.
// Never throws for the child's own failure; that is in the outcome.
ChildOutcome run_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                       const std::function<void(std::string_view)>& on_output);

// The path `program` names: itself when it holds a '/', else the first
// executable file of that name in `path_variable` ("/usr/bin:/bin");
// empty when there is none.
std::string find_program(std::string_view program, std::string_view path_variable);

}  // namespace crm
