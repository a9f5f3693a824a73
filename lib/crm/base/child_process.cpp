#include "crm/base/child_process.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crm {

namespace {

class Pipe {
public:
  Pipe()
  {
    if (::pipe2(m_fds, O_CLOEXEC) != 0)
      m_fds[0] = m_fds[1] = -1;
  }
  ~Pipe()
  {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool is_open() const { return m_fds[0] >= 0; }
  int read_end() const { return m_fds[0]; }
  int write_end() const { return m_fds[1]; }
  void close_read() { close_end(0); }
  void close_write() { close_end(1); }

private:
  void close_end(int which)
  {
    if (m_fds[which] >= 0)
      ::close(m_fds[which]);
    m_fds[which] = -1;
  }
  int m_fds[2];
};

std::string describe(int status)
{
  if (WIFEXITED(status))
    return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {}", WTERMSIG(status));
  return "ended abnormally";
}

}  // namespace

std::string find_program(std::string_view program, std::string_view path_variable)
{
  if (program.find('/') != std::string_view::npos)
    return std::string(program);
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    std::size_t end = path_variable.find(':', start);
    if (end == std::string_view::npos)
      end = path_variable.size();
    const std::string_view directory = path_variable.substr(start, end - start);
    const std::string candidate = fmt::format("{}/{}", directory.empty() ? std::string_view(".") : directory, program);
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return {};
}

ChildOutcome run_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                       const std::function<void(std::string_view)>& on_output)
{
  ChildOutcome outcome;
  if (argv.empty()) {
    outcome.problem = "could not be started: no program";
    return outcome;
  }
  std::string path_variable = "/usr/local/bin:/usr/bin:/bin";
  for (const std::string& entry : environment)
    if (entry.starts_with("PATH="))
      path_variable = entry.substr(5);
  const std::string program = find_program(argv[0], path_variable);
  if (program.empty()) {
    outcome.problem = fmt::format("could not be started: {} is not installed (not found in PATH)", argv[0]);
    return outcome;
  }

  // Everything the child needs is made before fork: between fork and exec
  // only async-signal-safe calls are allowed.
  std::vector<std::string> arguments = argv;
  std::vector<char*> argv_pointers;
  for (std::string& argument : arguments)
    argv_pointers.push_back(argument.data());
  argv_pointers.push_back(nullptr);
  std::vector<std::string> entries = environment;
  std::vector<char*> envp;
  for (std::string& entry : entries)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  Pipe stdout_pipe, stderr_pipe;
  if (null_fd < 0 || !stdout_pipe.is_open() || !stderr_pipe.is_open()) {
    outcome.problem = fmt::format("could not be started: {}", std::strerror(errno));
    return outcome;
  }
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(null_fd);
    outcome.problem = fmt::format("could not be started: {}", std::strerror(errno));
    return outcome;
  }
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::umask(077);
    if (::getppid() != parent)
      ::_exit(127);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(stdout_pipe.write_end(), STDOUT_FILENO);
    ::dup2(stderr_pipe.write_end(), STDERR_FILENO);
    ::execve(program.c_str(), argv_pointers.data(), envp.data());
    ::_exit(127);
  }
  ::close(null_fd);
  stdout_pipe.close_write();
  stderr_pipe.close_write();

  // A child that writes a lot on both outputs must not deadlock us: poll both.
  char buffer[65536];
  bool is_stdout_open = true, is_stderr_open = true;
  while (is_stdout_open || is_stderr_open) {
    pollfd fds[2];
    nfds_t count = 0;
    int stdout_index = -1, stderr_index = -1;
    if (is_stdout_open) {
      stdout_index = static_cast<int>(count);
      fds[count++] = {stdout_pipe.read_end(), POLLIN, 0};
    }
    if (is_stderr_open) {
      stderr_index = static_cast<int>(count);
      fds[count++] = {stderr_pipe.read_end(), POLLIN, 0};
    }
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (stdout_index >= 0 && fds[stdout_index].revents != 0) {
      const ssize_t got = ::read(stdout_pipe.read_end(), buffer, sizeof buffer);
      if (got > 0 && on_output)
        on_output(std::string_view(buffer, static_cast<std::size_t>(got)));
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
        is_stdout_open = false;
    }
    if (stderr_index >= 0 && fds[stderr_index].revents != 0) {
      const ssize_t got = ::read(stderr_pipe.read_end(), buffer, sizeof buffer);
      if (got > 0) {
        outcome.error_output.append(buffer, static_cast<std::size_t>(got));
        if (outcome.error_output.size() > k_max_error_output)
          outcome.error_output.erase(0, outcome.error_output.size() - k_max_error_output);
      }
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
        is_stderr_open = false;
    }
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      outcome.problem = fmt::format("could not be waited for: {}", std::strerror(errno));
      return outcome;
    }
  }
  outcome.is_success = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  outcome.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!outcome.is_success)
    outcome.problem = describe(status);
  return outcome;
}

}  // namespace crm
