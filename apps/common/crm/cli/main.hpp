#pragma once
// The one place where errors become exit codes and one stderr line.

#include <CLI/CLI.hpp>
#include <functional>

namespace crm::cli {

// Parses argv with `app`, then runs `body`, mapping what goes wrong:
// --help/--version -> 0 (printed on stdout); a parse error -> 64 with the
// parser's message; crm::Error -> its kind's exit code and
// "<program>: <what> (<hint>)" on stderr; anything else -> 70 as an internal
// error. Never prints a stack trace.
int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

}  // namespace crm::cli
