#include "crm/cli/secret_input.hpp"

#include <crm/base/error.hpp>
#include <crm/base/secret_file.hpp>
#include <crm/base/secret_memory.hpp>

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace crm::cli {

namespace {

struct Trap {
  std::string_view name;
  std::string_view hint;
};

constexpr std::string_view k_passphrase_hint = "use --passphrase-file FILE, - for stdin, or CRM_BACKUP_PASSPHRASE";
constexpr std::string_view k_otp_hint = "use --otp-file FILE, - for stdin, or CRM_OTP";
constexpr std::array k_traps = {
    Trap{"--passphrase", k_passphrase_hint},
    Trap{"--password", k_passphrase_hint},
    Trap{"--otp", k_otp_hint},
    Trap{"--totp", k_otp_hint},
    Trap{"--token", "give secrets in a file (- for stdin) or an environment variable; see --help"},
    Trap{"--secret", "give secrets in a file (- for stdin) or an environment variable; see --help"},
};

constexpr std::size_t k_stdin_chunk_bytes = 4096;

std::string read_stdin(std::string_view what)
{
  // Reserved once, so that no reallocation leaves a copy of the secret in
  // freed memory; the read buffer is wiped on every way out.
  std::string content;
  content.reserve(k_max_secret_bytes + k_stdin_chunk_bytes);
  std::string buffer(k_stdin_chunk_bytes, '\0');
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR)
        continue;
      wipe(buffer);
      wipe(content);
      throw_errno(errno, fmt::format("read the {} from", what), "stdin");
    }
    if (got == 0) {
      wipe(buffer);
      return content;
    }
    content.append(buffer.data(), static_cast<std::size_t>(got));
    if (content.size() > k_max_secret_bytes) {
      wipe(buffer);
      wipe(content);
      throw Error(ErrorKind::usage,
                  fmt::format("the {} read from stdin is longer than {} bytes", what, k_max_secret_bytes),
                  "give only the secret on stdin");
    }
  }
}

// The terminal's settings while echo is off, so that a signal arriving then
// can put them back before the process dies.
int g_prompt_tty = -1;
termios g_prompt_saved{};

extern "C" void restore_terminal_and_reraise(int signal_number)
{
  if (g_prompt_tty >= 0)
    ::tcsetattr(g_prompt_tty, TCSANOW, &g_prompt_saved);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

constexpr std::array k_fatal_signals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void write_all(int fd, std::string_view text)
{
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return;  // a prompt that cannot be shown is no reason to fail
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::optional<SecretString> prompt_once(std::string_view prompt_text)
{
  const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0)
    return std::nullopt;
  termios saved{};
  if (::tcgetattr(tty, &saved) != 0) {
    ::close(tty);
    return std::nullopt;
  }
  g_prompt_tty = tty;
  g_prompt_saved = saved;
  std::array<struct sigaction, k_fatal_signals.size()> previous{};
  struct sigaction restoring {};
  restoring.sa_handler = restore_terminal_and_reraise;
  sigemptyset(&restoring.sa_mask);
  for (std::size_t index = 0; index < k_fatal_signals.size(); ++index)
    ::sigaction(k_fatal_signals[index], &restoring, &previous[index]);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ICANON;
  ::tcsetattr(tty, TCSAFLUSH, &quiet);
  // Echo goes off before the prompt shows (as getpass does): what is typed
  // once the prompt is there is never echoed, nor discarded by the flush.
  write_all(tty, fmt::format("{}: ", prompt_text));

  std::string line;
  line.reserve(k_max_secret_bytes);
  bool is_too_long = false;
  for (;;) {
    char byte = 0;
    const ssize_t got = ::read(tty, &byte, 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0 || byte == '\n')
      break;
    if (line.size() < k_max_secret_bytes)
      line.push_back(byte);
    else
      is_too_long = true;
  }

  ::tcsetattr(tty, TCSAFLUSH, &saved);
  for (std::size_t index = 0; index < k_fatal_signals.size(); ++index)
    ::sigaction(k_fatal_signals[index], &previous[index], nullptr);
  g_prompt_tty = -1;
  write_all(tty, "\n");
  ::close(tty);

  if (is_too_long) {
    wipe(line);
    throw Error(ErrorKind::usage, fmt::format("what was typed is longer than {} bytes", k_max_secret_bytes));
  }
  strip_line_break(line);
  if (line.empty())
    return std::nullopt;
  return SecretString(std::move(line));
}

std::size_t count_characters(std::string_view utf8)
{
  std::size_t count = 0;
  for (const char byte : utf8)
    count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// "Passphrase: ", echo off; a new secret is asked again and must match.
std::optional<SecretString> prompt_on_terminal(const SecretSource& source)
{
  std::string prompt(source.what);
  if (!prompt.empty())
    prompt[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(prompt[0])));
  std::optional<SecretString> typed = prompt_once(prompt);
  if (!typed || !source.is_new)
    return typed;
  if (count_characters(typed->view()) < k_min_new_passphrase_characters)
    throw Error(ErrorKind::usage,
                fmt::format("the {} typed is shorter than {} characters", source.what, k_min_new_passphrase_characters),
                fmt::format("choose a longer {}; it is the only key to the backup", source.what));
  const std::optional<SecretString> again = prompt_once(fmt::format("{} (again)", prompt));
  if (!again || again->view() != typed->view())
    throw Error(ErrorKind::usage, fmt::format("the two {}s typed differ", source.what),
                fmt::format("type the same {} twice", source.what));
  return typed;
}

void add_traps_to(CLI::App& app)
{
  for (const Trap& trap : k_traps) {
    const std::string name(trap.name);
    if (app.get_option_no_throw(name) != nullptr)
      continue;
    const std::string hint(trap.hint);
    app.add_option(
           name,
           [hint](const CLI::results_t&) -> bool {
             throw Error(ErrorKind::usage, "secrets are never taken on the command line", hint);
           },
           "refused: secrets are never taken on the command line")
        ->expected(0, 1)
        ->group("");
  }
}

}  // namespace

SecretSource passphrase_source()
{
  SecretSource source;
  source.what = "passphrase";
  source.env_name = k_passphrase_env;
  return source;
}

SecretSource new_passphrase_source()
{
  SecretSource source = passphrase_source();
  source.is_new = true;
  return source;
}

SecretSource otp_source()
{
  SecretSource source;
  source.what = "two-factor code";
  source.env_name = k_otp_env;
  return source;
}

CLI::Option* add_secret_file_option(CLI::App& app, const std::string& name, SecretSource& source)
{
  return app.add_option(name, source.file, fmt::format("file holding the {} (- for stdin)", source.what))
      ->type_name("FILE");
}

std::optional<SecretString> read_secret(const SecretSource& source)
{
  // Whatever the source, from here on the process may hold a secret.
  keep_secrets_out_of_core_dumps();
  if (source.file == "-" && ::isatty(STDIN_FILENO)) {
    // A person at the terminal: ask, echo off, and stop at Enter (not Ctrl-D).
    std::optional<SecretString> typed = prompt_on_terminal(source);
    if (!typed)
      throw Error(ErrorKind::usage, fmt::format("no {} typed", source.what),
                  fmt::format("type the {}, then Enter", source.what));
    return typed;
  }
  if (source.file == "-") {
    std::string secret = read_stdin(source.what);
    strip_line_break(secret);
    if (secret.empty())
      throw Error(ErrorKind::usage, fmt::format("the {} file (stdin) is empty", source.what),
                  fmt::format("write the {} into it", source.what));
    return SecretString(std::move(secret));
  }
  if (!source.file.empty())
    return SecretString(read_secret_file(source.file, source.what, FileAccess::any, k_max_secret_bytes));
  if (!source.env_name.empty()) {
    // The environment's own copy stays (the process was started with it).
    const char* value = std::getenv(source.env_name.c_str());
    if (value != nullptr && *value != '\0')
      return SecretString(std::string(value));
  }
  if (source.may_prompt && ::isatty(STDIN_FILENO))
    return prompt_on_terminal(source);
  return std::nullopt;
}

void with_secret(const SecretSource& source, const std::function<void(std::optional<SecretString>)>& use)
{
  SecretSource without_prompt = source;
  without_prompt.may_prompt = false;
  std::optional<SecretString> given = read_secret(without_prompt);
  const bool was_given = given.has_value();
  try {
    use(std::move(given));
    return;
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::no_permission || was_given || !source.may_prompt || !::isatty(STDIN_FILENO))
      throw;
  }
  std::optional<SecretString> typed = read_secret(source);
  if (!typed)
    throw Error(ErrorKind::no_permission, fmt::format("no {} typed for an encrypted archive", source.what),
                fmt::format("type the {}, or give --passphrase-file or {}", source.what, source.env_name));
  use(std::move(typed));
}

void add_secret_traps(CLI::App& app)
{
  add_traps_to(app);
  for (CLI::App* subcommand : app.get_subcommands([](CLI::App* candidate) { return !candidate->get_name().empty(); }))
    add_secret_traps(*subcommand);
}

}  // namespace crm::cli
