#include "crm/offsite/rclone_environment.hpp"

#include <array>

extern char** environ;

namespace crm::offsite {

namespace {

constexpr std::array<std::string_view, 18> k_names{"PATH",           "HOME",          "USER",
                                                   "LOGNAME",        "TMPDIR",        "TZ",
                                                   "LANG",           "LC_ALL",        "XDG_CONFIG_HOME",
                                                   "XDG_CACHE_HOME", "SSL_CERT_FILE", "SSL_CERT_DIR",
                                                   "HTTP_PROXY",     "HTTPS_PROXY",   "NO_PROXY",
                                                   "http_proxy",     "https_proxy",   "no_proxy"};
constexpr std::array<std::string_view, 4> k_prefixes{"RCLONE_", "AWS_", "AZURE_", "GOOGLE_APPLICATION_CREDENTIALS"};
constexpr std::array<std::string_view, 3> k_defaults{"RCLONE_RETRIES=1", "RCLONE_LOW_LEVEL_RETRIES=2",
                                                     "RCLONE_CONTIMEOUT=15s"};

std::string_view name_of(std::string_view entry) { return entry.substr(0, entry.find('=')); }

bool is_passed(std::string_view name)
{
  if (name.starts_with("CRM_"))
    return false;
  for (const std::string_view allowed : k_names)
    if (name == allowed)
      return true;
  for (const std::string_view prefix : k_prefixes)
    if (name.starts_with(prefix))
      return true;
  return false;
}

}  // namespace

std::vector<std::string> rclone_environment(std::span<const std::string_view> ours)
{
  std::vector<std::string> entries;
  for (const std::string_view entry : ours)
    if (entry.find('=') != std::string_view::npos && is_passed(name_of(entry)))
      entries.emplace_back(entry);
  for (const std::string_view fallback : k_defaults) {
    bool is_set = false;
    for (const std::string& entry : entries)
      is_set = is_set || name_of(entry) == name_of(fallback);
    if (!is_set)
      entries.emplace_back(fallback);
  }
  return entries;
}

std::vector<std::string> rclone_environment()
{
  std::vector<std::string_view> ours;
  for (char** entry = environ; entry && *entry; ++entry)
    ours.emplace_back(*entry);
  return rclone_environment(ours);
}

}  // namespace crm::offsite
