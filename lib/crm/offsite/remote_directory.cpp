#include "crm/offsite/remote_directory.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/hex.hpp>
#include <crm/base/printable.hpp>
#include <crm/crypto/random.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/offsite/destination.hpp>

#include <fmt/format.h>

namespace crm::offsite {

namespace {

constexpr std::string_view k_temporary_prefix = ".tmp-";

}  // namespace

RemoteDirectory::RemoteDirectory(std::string remote_name, std::string destination)
    : m_name(std::move(remote_name)), m_destination(std::move(destination))
{
}

std::string RemoteDirectory::describe() const
{
  return fmt::format("remote {} ({})", m_name, printable(m_destination, 200));
}

void RemoteDirectory::upload(const std::filesystem::path& local, std::string_view file_name, std::int64_t size_bytes,
                             std::string_view sha256)
{
  const std::string temporary_name =
      fmt::format("{}{}-{}", k_temporary_prefix, file_name, to_hex(crypto::random_bytes(8)));
  const std::string temporary = remote_path(m_destination, temporary_name);
  m_rclone.copy_to(local, temporary);

  const std::vector<RemoteFile> uploaded = m_rclone.list(m_destination, temporary_name);
  std::string problem;
  if (uploaded.empty()) {
    problem = "it is not there after the upload";
  } else if (uploaded.front().size_bytes != size_bytes) {
    problem = fmt::format("it has {} bytes, not {}", uploaded.front().size_bytes, size_bytes);
  } else if (!uploaded.front().sha256.empty()) {
    if (uploaded.front().sha256 != sha256)
      problem = "the remote's SHA-256 differs";
  } else {
    // No SHA-256 on this backend: read the copy back and hash it ourselves.
    crypto::Sha256 hash;
    std::int64_t read_back = 0;
    m_rclone.cat(temporary, [&](std::string_view bytes) {
      hash.update(bytes);
      read_back += static_cast<std::int64_t>(bytes.size());
    });
    if (read_back != size_bytes || hash.hex_digest() != sha256)
      problem = "what was read back differs";
  }
  if (!problem.empty()) {
    try {
      m_rclone.delete_file(temporary);
    } catch (const Error&) {
      // remove_temporaries() takes it at the next run.
    }
    throw Error(ErrorKind::data,
                fmt::format("the copy of {} on {} does not match the original: {}", file_name, describe(), problem),
                "crm-backup remote sync copies it again");
  }
  const std::string final_path = remote_path(m_destination, file_name);
  m_rclone.move_to(temporary, final_path);
  const std::vector<RemoteFile> renamed = m_rclone.list(m_destination, file_name);
  if (renamed.empty() || renamed.front().size_bytes != size_bytes ||
      (!renamed.front().sha256.empty() && renamed.front().sha256 != sha256))
    throw Error(ErrorKind::data, fmt::format("the copy of {} on {} changed when it was renamed", file_name, describe()),
                "crm-backup remote sync copies it again");
}

void RemoteDirectory::download(std::string_view file_name, const std::function<void(std::string_view)>& consume)
{
  m_rclone.cat(remote_path(m_destination, file_name), consume);
}

std::vector<RemoteFile> RemoteDirectory::list() { return m_rclone.list(m_destination); }

std::vector<RemoteFile> RemoteDirectory::find(std::string_view file_name)
{
  return m_rclone.list(m_destination, file_name);
}

void RemoteDirectory::remove(std::string_view file_name)
{
  m_rclone.delete_file(remote_path(m_destination, file_name));
}

void RemoteDirectory::remove_temporaries()
{
  for (const RemoteFile& file : m_rclone.list(m_destination))
    if (file.name.starts_with(k_temporary_prefix))
      m_rclone.delete_file(remote_path(m_destination, file.name));
}

}  // namespace crm::offsite
