#pragma once
// The one place where errors become exit codes and one stderr line, and the
// one way the binaries dispatch their subcommands.

#include <crm/cli/json_output.hpp>
#include <crm/cli/options.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace crm::cli {

// A subcommand as a binary declares it: its CLI11 app, and what runs when the
// command line chose it.
struct Subcommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Parses argv with `app`, then runs `body`, mapping what goes wrong:
// --help/--version -> 0 (printed on stdout); a parse error -> 64 with the
// parser's message, followed by the usage on stderr when no subcommand was
// chosen (none given, or an unknown one); crm::Error -> its kind's exit code
// and "<program>: <what> (<hint>)" on stderr; anything else -> 70 as an
// internal error. Never prints a stack trace. Under --json each failure also
// prints {"error": {"message", "hint", "exit_code"}} on stdout (docs/json.md).
int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// Sets up the app of a binary made of subcommands: the common options
// (options.hpp), which may also follow the subcommand (`crm-backup create
// --json`), --version, and exactly one subcommand required. Call it before
// adding the subcommands: they inherit these settings.
void set_up_app(CLI::App& app, CommonOptions& common);

// The main of a binary made of subcommands: refuses secrets on the command
// line (add_secret_traps) and runs the one of `subcommands` chosen, through run_main above.
int run_main(CLI::App& app, int argc, char** argv, const std::vector<Subcommand>& subcommands);

}  // namespace crm::cli
