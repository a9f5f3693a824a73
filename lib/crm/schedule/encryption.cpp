#include "crm/schedule/encryption.hpp"

#include <crm/base/error.hpp>
#include <crm/base/secret_file.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <sys/stat.h>

namespace crm::schedule {

namespace {

constexpr std::string_view k_passphrase_file_setting = "schedule.passphrase_file";
constexpr std::string_view k_what = "passphrase";
// As much as `crm-backup create --passphrase-file` takes.
constexpr std::size_t k_max_passphrase_bytes = 64 << 10;

std::string fix_hint(const PassphraseSource& source)
{
  if (source.is_credential)
    return "check LoadCredential= in the systemd service";
  return "restore it with mode 0600, or crm-schedule enable --encrypt --passphrase-file FILE with another file";
}

Error unusable(const PassphraseSource& source, const Error& why)
{
  return Error(ErrorKind::config, fmt::format("cannot read the passphrase of scheduled backups: {}", why.what()),
               why.hint().empty() ? fix_hint(source) : fmt::format("{}; {}", why.hint(), fix_hint(source)));
}

// The schedule's file must be private to its owner. systemd's credential is
// not mode-checked: systemd made it, in a directory of its own that only the
// service's user may read, and when that user is not root it grants it with
// an ACL entry, which stat shows as group bits (0440).
FileAccess access_for(const PassphraseSource& source)
{
  return source.is_credential ? FileAccess::any : FileAccess::owner_only;
}

}  // namespace

PassphraseSource passphrase_source(const std::filesystem::path& schedule_file)
{
  const char* directory = std::getenv(std::string(k_credentials_directory_env).c_str());
  if (directory != nullptr && *directory != '\0') {
    const std::filesystem::path credential = std::filesystem::path(directory) / k_passphrase_credential;
    struct stat status {};
    if (::stat(credential.c_str(), &status) == 0)
      return {credential, true};
  }
  return {schedule_file, false};
}

std::string describe(const PassphraseSource& source)
{
  return fmt::format("{} {}", source.is_credential ? "the systemd credential" : "the passphrase file",
                     source.path.string());
}

std::string read_passphrase(const PassphraseSource& source)
{
  try {
    return read_secret_file(source.path, k_what, access_for(source), k_max_passphrase_bytes);
  } catch (const Error& error) {
    throw unusable(source, error);
  }
}

std::string passphrase_problem(const PassphraseSource& source)
{
  try {
    require_secret_file(source.path, k_what, access_for(source));
  } catch (const Error& error) {
    return error.line();
  }
  return {};
}

void require_passphrase_file(const std::filesystem::path& file)
{
  require_secret_file(file, k_what, FileAccess::owner_only);
}

std::optional<std::filesystem::path> passphrase_file(catalog::Repository& repository)
{
  const std::optional<std::string> stored = repository.settings().get(k_passphrase_file_setting);
  if (!stored || stored->empty())
    return std::nullopt;
  return std::filesystem::path(*stored);
}

void set_passphrase_file(catalog::Repository& repository, const std::optional<std::filesystem::path>& file)
{
  if (file)
    repository.settings().set(k_passphrase_file_setting, file->string());
  else
    repository.settings().erase(k_passphrase_file_setting);
}

std::optional<std::filesystem::path> passphrase_file_of(const std::filesystem::path& directory)
{
  std::optional<catalog::Repository> repository;
  try {
    repository.emplace(catalog::Repository::open(directory, catalog::OpenIntent::read));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::not_found)
      return std::nullopt;
    throw;
  }
  return passphrase_file(*repository);
}

}  // namespace crm::schedule
