#include "crm/cli/main.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/cli/json_output.hpp>
#include <crm/cli/nearest_name.hpp>
#include <crm/cli/secret_input.hpp>

#include <fmt/format.h>

namespace crm::cli {

namespace {

std::vector<const CLI::App*> named_subcommands(const CLI::App& app)
{
  return app.get_subcommands([](const CLI::App* candidate) { return !candidate->get_name().empty(); });
}

bool is_subcommand_missing(const CLI::App& app)
{
  return !named_subcommands(app).empty() && app.get_subcommands().empty();
}

// The subcommand the command line chose, or `app` itself.
const CLI::App& chosen(const CLI::App& app)
{
  const auto parsed = app.get_subcommands();
  return parsed.empty() ? app : chosen(*parsed.front());
}

// "crm-backup remote add": how the user names `command`.
std::string command_path(const CLI::App& command)
{
  return command.get_parent() == nullptr ? command.get_name()
                                         : command_path(*command.get_parent()) + " " + command.get_name();
}

// The options a word given to `command` may have meant: its own and, as the
// binaries fall through, its parents' ("--json" after the subcommand).
std::vector<std::string> option_names(const CLI::App& command)
{
  std::vector<std::string> names;
  for (const CLI::App* app = &command; app != nullptr; app = app->get_parent())
    for (const CLI::Option* option : app->get_options())
      if (!option->get_group().empty())  // the hidden secret traps are no one's typo
        for (const std::string& name : option->get_lnames())
          names.push_back("--" + name);
  return names;
}

// One line for a word nothing takes, with the name it may have meant:
// `unknown subcommand "craete"; did you mean "create"?`. Empty when the
// parser's own message says it better (no word left over).
std::string unknown_word_line(const CLI::App& app)
{
  const std::vector<std::string> left_over = app.remaining(true);
  if (left_over.empty())
    return {};
  const std::string& word = left_over.front();
  const CLI::App& command = chosen(app);
  std::string kind = "argument";
  std::vector<std::string> candidates;
  if (word.starts_with("-")) {
    kind = "option";
    candidates = option_names(command);
  } else if (&command == &app || !named_subcommands(command).empty()) {
    kind = "subcommand";
    for (const CLI::App* subcommand : named_subcommands(command))
      candidates.push_back(subcommand->get_name());
  }
  const std::string shown = printable(word.substr(0, word.find('=')), 80);
  const auto nearest = nearest_name(word.substr(0, word.find('=')), candidates);
  if (kind == "argument")
    return fmt::format("unexpected argument \"{}\"", shown);
  if (!nearest)
    return fmt::format("unknown {} \"{}\"", kind, shown);
  return fmt::format("unknown {} \"{}\"; did you mean \"{}\"?", kind, shown, *nearest);
}

// Each subcommand's --help ends with the options of the binary it accepts too
// (--store, --repo, --as, --json, ...), which CLI11 lists only in the
// binary's own help.
void add_common_options_to_help(CLI::App& app)
{
  std::vector<const CLI::Option*> common;
  for (const CLI::Option* option : app.get_options())
    if (!option->get_group().empty() && option->get_lnames() != std::vector<std::string>{"help"} &&
        option->get_lnames() != std::vector<std::string>{"version"})
      common.push_back(option);
  if (common.empty())  // crm-demo: each subcommand has its own
    return;
  const std::string text =
      CLI::Formatter().make_group("Common options (before or after the subcommand)", false, common);
  for (CLI::App* subcommand : app.get_subcommands([](CLI::App* candidate) { return !candidate->get_name().empty(); }))
    subcommand->footer(text);
}

}  // namespace

int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body)
{
  const std::string program = app.get_name();
  const bool is_json = is_json_requested(argc, argv);
  const auto fail = [&](ErrorKind kind, std::string message, std::string hint) {
    return report_failure(program, Error(kind, std::move(message), std::move(hint)), is_json);
  };
  // A secret in the environment is held from the first instruction on.
  if (has_secret_in_environment())
    keep_secrets_out_of_core_dumps();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& parse_error) {
    if (parse_error.get_exit_code() == 0)
      return app.exit(parse_error);
    const std::string unknown = unknown_word_line(app);
    const int code = fail(ErrorKind::usage, unknown.empty() ? parse_error.what() : unknown,
                          fmt::format("see {} --help", command_path(chosen(app))));
    // Without a subcommand there is nothing more specific to point at than
    // the list of them.
    if (is_subcommand_missing(app))
      fmt::print(stderr, "{}", app.help());
    return code;
  } catch (const Error& error) {
    // Thrown by option callbacks, such as the secret traps (secret_input.hpp).
    return report_failure(program, error, is_json);
  }
  try {
    return body();
  } catch (const Error& error) {
    return report_failure(program, error, is_json);
  } catch (const std::bad_alloc&) {
    return fail(ErrorKind::io, "out of memory", "free memory or run on a larger machine");
  } catch (const std::exception& unexpected) {
    return fail(ErrorKind::internal, fmt::format("internal error: {}", unexpected.what()),
                "this is a bug; please report it");
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
  add_common_options_to_help(app);
  return run_main(app, argc, argv, [&] {
    for (const Subcommand& subcommand : subcommands)
      if (subcommand.app->parsed())
        return subcommand.run();
    throw Error(ErrorKind::internal, "no subcommand ran", "this is a bug; please report it");
  });
}

}  // namespace crm::cli
