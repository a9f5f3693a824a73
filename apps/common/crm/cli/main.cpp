#include "crm/cli/main.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/cli/secret_input.hpp>

#include <fmt/format.h>

namespace crm::cli {

namespace {

bool is_subcommand_missing(const CLI::App& app)
{
  const auto all = app.get_subcommands([](const CLI::App* candidate) { return !candidate->get_name().empty(); });
  return !all.empty() && app.get_subcommands().empty();
}

}  // namespace

int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body)
{
  const std::string program = app.get_name();
  // A secret in the environment is held from the first instruction on.
  if (has_secret_in_environment())
    keep_secrets_out_of_core_dumps();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& parse_error) {
    if (parse_error.get_exit_code() == 0)
      return app.exit(parse_error);
    fmt::print(stderr, "{}: {} (see {} --help)\n", program, parse_error.what(), program);
    // Without a subcommand there is nothing more specific to point at than
    // the list of them.
    if (is_subcommand_missing(app))
      fmt::print(stderr, "{}", app.help());
    return exit_code(ErrorKind::usage);
  } catch (const Error& error) {
    // Thrown by option callbacks, such as the secret traps (secret_input.hpp).
    fmt::print(stderr, "{}: {}\n", program, without_control_characters(error.line()));
    return exit_code(error.kind());
  }
  try {
    return body();
  } catch (const Error& error) {
    fmt::print(stderr, "{}: {}\n", program, without_control_characters(error.line()));
    return exit_code(error.kind());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: out of memory (free memory or run on a larger machine)\n", program);
    return exit_code(ErrorKind::io);
  } catch (const std::exception& unexpected) {
    fmt::print(stderr, "{}: internal error: {} (this is a bug; please report it)\n", program, unexpected.what());
    return exit_code(ErrorKind::internal);
  }
}

void set_up_app(CLI::App& app, CommonOptions& common)
{
  add_common_options(app, common);
  add_version_flag(app, app.get_name());
  app.fallthrough();
  app.require_subcommand(1);
}

int run_main(CLI::App& app, int argc, char** argv, const std::vector<Subcommand>& subcommands)
{
  add_secret_traps(app);
  return run_main(app, argc, argv, [&] {
    for (const Subcommand& subcommand : subcommands)
      if (subcommand.app->parsed())
        return subcommand.run();
    throw Error(ErrorKind::internal, "no subcommand ran", "this is a bug; please report it");
  });
}

}  // namespace crm::cli
