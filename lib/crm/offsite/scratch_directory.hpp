#pragma once
// A private directory (0700) of our own under $TMPDIR (else /tmp) for the
// files that travel to and from a remote: a sidecar before its upload, an
// archive fetched from a remote while it is checked and read. Removed with
// everything in it when the object goes; a kill -9 leaves it behind, but it
// is readable by its owner only, like the repository.

#include <filesystem>

namespace crm::offsite {

class ScratchDirectory {
public:
  ScratchDirectory();  // Error(cannot_create) when it cannot be made
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

}  // namespace crm::offsite
