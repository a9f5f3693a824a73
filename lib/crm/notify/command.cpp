#include "crm/notify/command.hpp"

#include <crm/base/secret_memory.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace crm::notify {

namespace {

// The child's environment: ours without our secrets (the passphrase, the
// two-factor code, the API token: SPEC §8), with `extra` replacing any
// variable of the same name.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& extra)
{
  std::vector<std::string> entries;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    bool is_replaced = is_secret_environment_name(name);
    for (const auto& [extra_name, value] : extra)
      is_replaced = is_replaced || extra_name == name;
    if (!is_replaced)
      entries.emplace_back(text);
  }
  for (const auto& [name, value] : extra)
    entries.push_back(name + "=" + value);
  return entries;
}

}  // namespace

CommandOutcome run_command(std::string_view command,
                           const std::vector<std::pair<std::string, std::string>>& environment)
{
  std::vector<std::string> entries = child_environment(environment);
  std::vector<char*> envp;
  for (auto& entry : entries)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string command_text(command);
  char* argv[] = {shell.data(), dash_c.data(), command_text.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t child = 0;
  const int spawn_error = posix_spawn(&child, shell.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0)
    return {false, fmt::format("could not be started: {}", std::strerror(spawn_error))};

  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR)
      return {false, fmt::format("could not be waited for: {}", std::strerror(errno))};
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {true, {}};
  if (WIFEXITED(status))
    return {false, fmt::format("exited with status {}", WEXITSTATUS(status))};
  if (WIFSIGNALED(status))
    return {false, fmt::format("was killed by signal {}", WTERMSIG(status))};
  return {false, "ended abnormally"};
}

}  // namespace crm::notify
