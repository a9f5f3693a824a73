#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/cli/main.hpp>
#include <crm/cli/secret_input.hpp>
#include <support/error_of.hpp>
#include <support/scoped_env.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using crm::Error;
using crm::ErrorKind;
using crm::cli::read_secret;
using crm::cli::SecretSource;

namespace {

constexpr const char* k_env = "CRM_TEST_SECRET_INPUT";

SecretSource test_source()
{
  SecretSource source;
  source.what = "passphrase";
  source.env_name = k_env;
  source.may_prompt = false;  // never ask whoever runs the tests at a terminal
  return source;
}

using crm::test::ScopedEnv;

// Puts the content of `file` on stdin for one test.
class ScopedStdin {
public:
  explicit ScopedStdin(const std::filesystem::path& file) : m_saved(::dup(STDIN_FILENO))
  {
    const int fd = ::open(file.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    ::close(fd);
  }
  ~ScopedStdin()
  {
    ::dup2(m_saved, STDIN_FILENO);
    ::close(m_saved);
  }

private:
  int m_saved;
};

Error refusal(const SecretSource& source)
{
  return crm::test::error_of([&] { read_secret(source); });
}

// Parses `args` with an app that has a subcommand and the traps.
void parse(std::vector<std::string> args)
{
  CLI::App app{"test", "crm-test"};
  std::string passphrase_file;
  app.add_option("--passphrase-file", passphrase_file);
  auto* create = app.add_subcommand("create", "make one");
  std::string token_name;
  create->add_option("--token", token_name, "a legitimate option of the same name");
  crm::cli::add_secret_traps(app);
  std::reverse(args.begin(), args.end());
  app.parse(args);
}

Error trap_refusal(std::vector<std::string> args)
{
  return crm::test::error_of([&] { parse(std::move(args)); });
}

}  // namespace

TEST_CASE("read_secret reads a secret file without its trailing line break", "[cli]")
{
  const crm::test::TempDir dir;
  const ScopedEnv env(k_env, nullptr);
  SecretSource source = test_source();
  source.file = (dir / "passphrase").string();
  crm::write_file_atomically(source.file, "correct horse battery staple\n");
  CHECK(read_secret(source) == std::optional<std::string>("correct horse battery staple"));
  crm::write_file_atomically(source.file, "windows line\r\n");
  CHECK(read_secret(source) == std::optional<std::string>("windows line"));
  crm::write_file_atomically(source.file, "no line break");
  CHECK(read_secret(source) == std::optional<std::string>("no line break"));
  crm::write_file_atomically(source.file, " spaces kept \n\n");
  CHECK(read_secret(source) == std::optional<std::string>(" spaces kept \n"));
}

TEST_CASE("read_secret prefers the file to the environment variable", "[cli]")
{
  const crm::test::TempDir dir;
  const ScopedEnv env(k_env, "from the environment");
  SecretSource source = test_source();
  source.file = (dir / "passphrase").string();
  crm::write_file_atomically(source.file, "from the file\n");
  CHECK(read_secret(source) == std::optional<std::string>("from the file"));
}

TEST_CASE("read_secret reports a missing secret file as not found", "[cli]")
{
  const crm::test::TempDir dir;
  SecretSource source = test_source();
  source.file = (dir / "missing").string();
  CHECK(refusal(source).kind() == ErrorKind::not_found);
}

TEST_CASE("read_secret refuses an empty secret file as a usage error", "[cli]")
{
  const crm::test::TempDir dir;
  SecretSource source = test_source();
  source.file = (dir / "empty").string();
  crm::write_file_atomically(source.file, "\n");
  const Error error = refusal(source);
  CHECK(error.kind() == ErrorKind::usage);
  CHECK_THAT(error.what(), Catch::Contains("passphrase file") && Catch::Contains("is empty"));
}

TEST_CASE("read_secret reads stdin when the file is -", "[cli]")
{
  const crm::test::TempDir dir;
  crm::write_file_atomically(dir / "stdin", "123456\n");
  const ScopedStdin stdin_from(dir / "stdin");
  SecretSource source = test_source();
  source.file = "-";
  CHECK(read_secret(source) == std::optional<std::string>("123456"));
}

TEST_CASE("read_secret takes the environment variable when no file is given", "[cli]")
{
  const ScopedEnv env(k_env, "env secret");
  CHECK(read_secret(test_source()) == std::optional<std::string>("env secret"));
}

TEST_CASE("read_secret gives nothing for an empty or unset variable and no prompt", "[cli]")
{
  {
    const ScopedEnv env(k_env, "");
    CHECK_FALSE(read_secret(test_source()));
  }
  const ScopedEnv env(k_env, nullptr);
  CHECK_FALSE(read_secret(test_source()));
}

TEST_CASE("the passphrase and two-factor sources use their documented variables", "[cli]")
{
  CHECK(crm::cli::passphrase_source().env_name == "CRM_BACKUP_PASSPHRASE");
  CHECK(crm::cli::otp_source().env_name == "CRM_OTP");
}

TEST_CASE("a passphrase on the command line is refused as a usage error", "[cli]")
{
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--passphrase", "hunter2"}, std::vector<std::string>{"--passphrase=hunter2"},
        std::vector<std::string>{"--password", "hunter2"},
        std::vector<std::string>{"create", "--passphrase", "hunter2"}}) {
    const Error error = trap_refusal(args);
    CHECK(error.kind() == ErrorKind::usage);
    CHECK(error.line() == "secrets are never taken on the command line (use --passphrase-file FILE, - for stdin, or "
                          "CRM_BACKUP_PASSPHRASE)");
    CHECK_THAT(error.line(), !Catch::Contains("hunter2"));
  }
}

TEST_CASE("a two-factor code on the command line is refused, with or without a value", "[cli]")
{
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"create", "--otp", "123456"}, std::vector<std::string>{"--otp"},
        std::vector<std::string>{"--totp=123456"}}) {
    const Error error = trap_refusal(args);
    CHECK(error.kind() == ErrorKind::usage);
    CHECK_THAT(error.hint(), Catch::Contains("--otp-file") && Catch::Contains("CRM_OTP"));
  }
}

TEST_CASE("the traps leave a command's own option of the same name alone", "[cli]")
{
  CHECK_NOTHROW(parse({"create", "--token", "name-not-secret"}));
  CHECK(trap_refusal({"--token", "abc"}).kind() == ErrorKind::usage);
}

TEST_CASE("the traps leave the secret file options working", "[cli]")
{
  CHECK_NOTHROW(parse({"--passphrase-file", "-", "create"}));
}

TEST_CASE("run_main exits 64 for a secret on the command line", "[cli]")
{
  CLI::App app{"test", "crm-test"};
  crm::cli::add_secret_traps(app);
  bool has_run = false;
  std::vector<std::string> args = {"crm-test", "--passphrase", "hunter2"};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  const int code = crm::cli::run_main(app, static_cast<int>(argv.size()), argv.data(), [&has_run] {
    has_run = true;
    return 0;
  });
  CHECK(code == 64);
  CHECK_FALSE(has_run);
}

TEST_CASE("once read_secret has run, the process makes no core dump", "[cli]")
{
  // In a child, so that the test process itself stays debuggable.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::setenv(k_env, "env secret", 1);
    const auto secret = read_secret(test_source());
    rlimit core{};
    ::getrlimit(RLIMIT_CORE, &core);
    const bool is_protected = ::prctl(PR_GET_DUMPABLE) == 0 && core.rlim_cur == 0 && core.rlim_max == 0;
    ::_exit(secret && is_protected ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
