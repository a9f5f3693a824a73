#pragma once
// `crm-backup download`: a private copy of one backup's archive, inside its
// 14-day download window (SPEC §2), checked against the catalog as it is
// copied.

#include <crm/base/clock.hpp>
#include <crm/catalog/repository.hpp>

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace crm::catalog {

struct DownloadResult {
  std::filesystem::path path;  // where the copy was written
  std::int64_t size_bytes = 0;
};

// Copies backup `id` to `out` (a file, or a directory to put the archive name
// in) through an AtomicFile (0600), hashing the bytes it copies. Expired:
// Error(not_found); output not creatable: Error(cannot_create); disk full:
// Error(io); the copy does not match the catalog's size and sha256:
// Error(data), and nothing appears at `out`.
DownloadResult download(Repository& repository, std::string_view id, const std::filesystem::path& out, UnixTime now);

}  // namespace crm::catalog
