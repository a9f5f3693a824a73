#pragma once
// One remote's directory, as the few calls that every rclone backend can
// serve (restic's rule: save, load, list, remove): upload a file so that it
// appears under its final name only whole and checked, stream a file back,
// list, remove. Everything else (which backups, states, retention) lives
// above, in sync, fetch and the remote commands.

#include <crm/offsite/rclone.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::offsite {

class RemoteDirectory {
public:
  RemoteDirectory(std::string remote_name, std::string destination);

  const std::string& name() const { return m_name; }
  const std::string& destination() const { return m_destination; }

  // Uploads `local` as `file_name`: rclone copyto to ".tmp-<file_name>-<random>",
  // then the temporary file is checked against `size_bytes` and `sha256`
  // (the backend's SHA-256 when it keeps one, otherwise by reading it back),
  // then rclone moveto gives it its name, and its size is checked there.
  // A copy that does not match: Error(data), and the temporary file is
  // removed. So a file under its final name is always whole; a kill -9
  // leaves at most a temporary file, which remove_temporaries() takes away.
  void upload(const std::filesystem::path& local, std::string_view file_name, std::int64_t size_bytes,
              std::string_view sha256);
  // Streams `file_name` to `consume`.
  void download(std::string_view file_name, const std::function<void(std::string_view)>& consume);
  // The files in the directory (empty when it does not exist yet).
  std::vector<RemoteFile> list();
  // One file with its SHA-256 when the backend has one; none when missing.
  std::vector<RemoteFile> find(std::string_view file_name);
  void remove(std::string_view file_name);
  // Removes the temporary files of uploads that a killed process left.
  // Call it only while holding the repository's remote lock.
  void remove_temporaries();

  // "remote offsite (s3-backups:acme/crm)", for messages.
  std::string describe() const;

private:
  std::string m_name;
  std::string m_destination;
  Rclone m_rclone;
};

}  // namespace crm::offsite
