#include "crm/offsite/rclone.hpp"

#include <crm/base/child_process.hpp>
#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/offsite/rclone_environment.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::offsite {

namespace {

// rclone's exit status for "directory not found".
constexpr int k_directory_not_found = 3;
constexpr std::size_t k_max_listing_bytes = 64 << 20;

// The last non-empty line rclone wrote on stderr, without its timestamp.
std::string last_line(std::string_view text)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  const std::size_t start = text.rfind('\n');
  std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
  // "2026/12/02 03:04:33 ERROR : ..." / "2026/12/02 03:04:33 Failed to ...": drop the date and time.
  if (line.size() > 20 && line[4] == '/' && line[7] == '/' && line[10] == ' ' && line[19] == ' ')
    line.remove_prefix(20);
  return std::string(line);
}

}  // namespace

Rclone::Rclone() : m_environment(rclone_environment()) {}

Rclone::Outcome Rclone::run(const std::vector<std::string>& arguments,
                            const std::function<void(std::string_view)>& consume, bool is_missing_ok)
{
  std::vector<std::string> argv{"rclone"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  Outcome outcome;
  const ChildOutcome child = run_child(argv, m_environment, [&](std::string_view bytes) {
    if (consume)
      consume(bytes);
    else if (outcome.stdout_text.size() < k_max_listing_bytes)
      outcome.stdout_text.append(bytes);
  });
  outcome.is_success = child.is_success;
  outcome.exit_status = child.exit_status;
  if (child.is_success || (is_missing_ok && child.exit_status == k_directory_not_found))
    return outcome;
  const std::string said = last_line(child.error_output);
  throw Error(
      ErrorKind::unavailable,
      fmt::format("rclone {} {}{}", arguments.front(), child.problem, said.empty() ? "" : ": " + printable(said, 300)),
      "check the remote with rclone lsf DESTINATION, and rclone's configuration (RCLONE_CONFIG)");
}

void Rclone::copy_to(const std::filesystem::path& local, const std::string& remote)
{
  run({"copyto", "--", local.string(), remote}, {}, false);
}

void Rclone::move_to(const std::string& from, const std::string& to) { run({"moveto", "--", from, to}, {}, false); }

void Rclone::delete_file(const std::string& remote) { run({"deletefile", "--", remote}, {}, false); }

std::vector<RemoteFile> Rclone::list(const std::string& directory, std::string_view file_name)
{
  std::vector<std::string> arguments{"lsjson", "--files-only", "--no-mimetype"};
  if (!file_name.empty()) {
    arguments.insert(arguments.end(), {"--hash", "--hash-type", "sha256", "--include", fmt::format("/{}", file_name)});
  } else {
    arguments.insert(arguments.end(), {"--no-modtime"});
  }
  arguments.insert(arguments.end(), {"--", directory});
  const Outcome outcome = run(arguments, {}, true);
  std::vector<RemoteFile> files;
  if (!outcome.is_success)
    return files;
  const nlohmann::json listing = nlohmann::json::parse(outcome.stdout_text, nullptr, false);
  if (!listing.is_array())
    throw Error(ErrorKind::unavailable, fmt::format("rclone lsjson gave no listing of {}", printable(directory, 200)),
                "check the remote with rclone lsf DESTINATION");
  for (const auto& entry : listing) {
    if (!entry.is_object() || !entry.contains("Name") || !entry["Name"].is_string() || !entry.contains("Size") ||
        !entry["Size"].is_number_integer())
      continue;
    RemoteFile file;
    file.name = entry["Name"].get<std::string>();
    file.size_bytes = entry["Size"].get<std::int64_t>();
    if (entry.contains("Hashes") && entry["Hashes"].is_object() && entry["Hashes"].contains("sha256") &&
        entry["Hashes"]["sha256"].is_string())
      file.sha256 = entry["Hashes"]["sha256"].get<std::string>();
    if (file_name.empty() || file.name == file_name)
      files.push_back(std::move(file));
  }
  return files;
}

void Rclone::cat(const std::string& remote, const std::function<void(std::string_view)>& consume)
{
  run({"cat", "--", remote}, consume, false);
}

}  // namespace crm::offsite
