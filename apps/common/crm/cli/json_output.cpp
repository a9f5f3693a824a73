#include "crm/cli/json_output.hpp"

#include <crm/base/printable.hpp>

#include <fmt/format.h>

namespace crm::cli {

void print_json(const nlohmann::ordered_json& document)
{
  fmt::print("{}\n", document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

nlohmann::ordered_json error_json(std::string_view message, std::string_view hint, int exit_code)
{
  return {{"message", message},
          {"hint", hint.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(hint)},
          {"exit_code", exit_code}};
}

nlohmann::ordered_json json_path(const std::filesystem::path& path)
{
  if (path.empty())
    return nullptr;
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return (error ? path : absolute).lexically_normal().string();
}

nlohmann::ordered_json json_time(std::optional<UnixTime> time)
{
  return time ? nlohmann::ordered_json(format_iso8601(*time)) : nlohmann::ordered_json();
}

nlohmann::ordered_json json_text(std::string_view text)
{
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

nlohmann::ordered_json objects_json(const std::vector<std::pair<std::string, std::int64_t>>& record_counts)
{
  auto objects = nlohmann::ordered_json::array();
  for (const auto& [name, records] : record_counts)
    objects.push_back({{"name", name}, {"records", records}});
  return objects;
}

int report_failure(std::string_view program, const Error& error, bool is_json, nlohmann::ordered_json document)
{
  const std::string message = without_control_characters(error.what());
  const std::string hint = without_control_characters(error.hint());
  fmt::print(stderr, "{}: {}{}\n", program, message, hint.empty() ? "" : fmt::format(" ({})", hint));
  if (is_json) {
    document["error"] = error_json(message, hint, exit_code(error.kind()));
    print_json(document);
  }
  return exit_code(error.kind());
}

bool is_json_requested(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--")  // what follows is an argument, not an option
      return false;
    if (word == "--json")
      return true;
  }
  return false;
}

}  // namespace crm::cli
