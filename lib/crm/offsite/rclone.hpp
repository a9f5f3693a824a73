#pragma once
// The transport to remotes: the rclone program (Debian's `rclone`), run as a
// child with an argument vector (no shell) and the environment of
// rclone_environment.hpp. rclone's own configuration (RCLONE_CONFIG or its
// default file) holds the credentials; we never read or print them. What
// rclone says on stderr reaches our one error line only escaped and cut
// (printable()).
//
// Every call throws Error(unavailable) when rclone fails (the remote is
// down, refuses, or is not configured) or is not installed.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::offsite {

struct RemoteFile {
  std::string name;
  std::int64_t size_bytes = 0;
  std::string sha256;  // empty when the backend keeps no SHA-256
};

class Rclone {
public:
  Rclone();

  // `rclone copyto LOCAL REMOTE`: one file, to exactly that name.
  void copy_to(const std::filesystem::path& local, const std::string& remote);
  // `rclone moveto FROM TO` on the same remote: a rename where the backend has one.
  void move_to(const std::string& from, const std::string& to);
  // `rclone deletefile`.
  void delete_file(const std::string& remote);
  // The files directly in `directory`; empty when the directory does not
  // exist. With `file_name`, only that file, and its SHA-256 when the
  // backend has it.
  std::vector<RemoteFile> list(const std::string& directory, std::string_view file_name = {});
  // `rclone cat`: streams the file's bytes to `consume`.
  void cat(const std::string& remote, const std::function<void(std::string_view)>& consume);

private:
  struct Outcome {
    bool is_success = false;
    int exit_status = -1;
    std::string stdout_text;
  };
  Outcome run(const std::vector<std::string>& arguments, const std::function<void(std::string_view)>& consume,
              bool is_missing_ok);

  std::vector<std::string> m_environment;
};

}  // namespace crm::offsite
