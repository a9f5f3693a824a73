#include "crm/offsite/destination.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>

#include <fmt/format.h>

#include <filesystem>

namespace crm::offsite {

namespace {

constexpr std::size_t k_max_name_bytes = 32;
constexpr std::size_t k_max_destination_bytes = 1024;

bool is_name_character(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

}  // namespace

void check_remote_name(std::string_view name)
{
  bool is_valid = !name.empty() && name.size() <= k_max_name_bytes && name.front() != '-' && name.front() != '_';
  for (const char c : name)
    is_valid = is_valid && is_name_character(c);
  if (!is_valid)
    throw Error(ErrorKind::usage, fmt::format("'{}' is not a remote name", printable(name, 40)),
                "use 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit");
}

void check_destination(std::string_view destination)
{
  if (destination.empty() || destination.size() > k_max_destination_bytes)
    throw Error(ErrorKind::usage, "the destination is empty or too long",
                "give an rclone remote and path such as s3-backups:acme/crm, or a local directory");
  if (destination.front() == '-')
    throw Error(ErrorKind::usage, fmt::format("the destination '{}' starts with '-'", printable(destination, 80)),
                "give an rclone remote and path such as s3-backups:acme/crm, or ./-dir for such a directory");
  for (const char c : destination)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      throw Error(ErrorKind::usage,
                  fmt::format("the destination '{}' holds a control character", printable(destination, 80)),
                  "give an rclone remote and path such as s3-backups:acme/crm, or a local directory");
}

std::string anchored_destination(std::string_view destination)
{
  const auto colon = destination.find(':');
  const bool is_rclone_remote = colon != std::string_view::npos && colon < destination.find('/');
  if (is_rclone_remote || destination.starts_with('/'))
    return std::string(destination);
  return std::filesystem::absolute(std::filesystem::path(destination)).lexically_normal().string();
}

std::string remote_path(std::string_view destination, std::string_view file_name)
{
  if (destination.ends_with('/') || destination.ends_with(':'))
    return fmt::format("{}{}", destination, file_name);
  return fmt::format("{}/{}", destination, file_name);
}

std::string sidecar_name_for(std::string_view backup_id) { return fmt::format("{}.json", backup_id); }

}  // namespace crm::offsite
