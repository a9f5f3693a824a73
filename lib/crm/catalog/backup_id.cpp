#include "crm/catalog/backup_id.hpp"

#include <fmt/format.h>

#include <ctime>
#include <random>

namespace crm::catalog {

namespace {

constexpr std::string_view k_archive_prefix = "crm-backup-";
constexpr std::string_view k_archive_suffix = ".zip";
constexpr std::size_t k_id_length = 21;  // 16 for the time, '-', 4 hex digits

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string make_backup_id(UnixTime snapshot_time)
{
  const std::time_t time = static_cast<std::time_t>(snapshot_time);
  std::tm tm{};
  gmtime_r(&time, &tm);
  std::random_device device;
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z-{:04x}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, device() & 0xffffu);
}

bool is_backup_id(std::string_view text)
{
  if (text.size() != k_id_length)
    return false;
  for (std::size_t index = 0; index < k_id_length; ++index) {
    const char c = text[index];
    const bool is_fitting = index < 8     ? is_digit(c)
                            : index == 8  ? c == 'T'
                            : index < 15  ? is_digit(c)
                            : index == 15 ? c == 'Z'
                            : index == 16 ? c == '-'
                                          : is_lower_hex(c);
    if (!is_fitting)
      return false;
  }
  return true;
}

std::string archive_name_for(std::string_view id)
{
  return fmt::format("{}{}{}", k_archive_prefix, id, k_archive_suffix);
}

std::optional<std::string> id_from_archive_name(std::string_view file_name)
{
  if (!file_name.starts_with(k_archive_prefix) || !file_name.ends_with(k_archive_suffix))
    return std::nullopt;
  file_name.remove_prefix(k_archive_prefix.size());
  file_name.remove_suffix(k_archive_suffix.size());
  if (!is_backup_id(file_name))
    return std::nullopt;
  return std::string(file_name);
}

}  // namespace crm::catalog
