#pragma once
// The one way the binaries print --json: one document on stdout, in the shapes
// docs/json.md describes (and docs/json/*.schema.json checks).

#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::cli {

// Prints `document` on stdout, indented by two spaces. Text that is not
// UTF-8 (a store may hold any bytes) is printed as U+FFFD: JSON cannot carry
// it, and a script's parser would refuse the whole document.
void print_json(const nlohmann::ordered_json& document);

// {"message": ..., "hint": ... or null, "exit_code": ...}: what a failed
// command prints under --json, as the member "error" of its document.
nlohmann::ordered_json error_json(std::string_view message, std::string_view hint, int exit_code);

// The values every document writes the same way: a path made absolute, a
// time as RFC 3339 UTC ("2026-12-02T19:38:54Z"), and null for a path, a text
// or a time that is missing (empty).
nlohmann::ordered_json json_path(const std::filesystem::path& path);
nlohmann::ordered_json json_time(std::optional<UnixTime> time);
nlohmann::ordered_json json_text(std::string_view text);

// [{"name": "contacts", "records": 1200}, ...]: a backup's objects in
// backup order, as create, list and schedule print them.
nlohmann::ordered_json objects_json(const std::vector<std::pair<std::string, std::int64_t>>& record_counts);

// Reports a failure: its one line on stderr ("<program>: what (hint)"),
// and under --json `document` with the member "error" (error_json) on
// stdout. Returns the exit code. run_main reports every crm::Error this way;
// a command calls it itself when its result document must go with the error
// (apply that wrote some records and not others).
int report_failure(std::string_view program, const Error& error, bool is_json,
                   nlohmann::ordered_json document = nlohmann::ordered_json::object());

// Whether the command line asks for --json, read from argv itself so that a
// failure to parse it is reported in JSON too.
bool is_json_requested(int argc, char** argv);

}  // namespace crm::cli
