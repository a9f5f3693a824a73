#include "crm/snapshot/archive_manifest.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>

#include <fmt/format.h>

namespace crm::snapshot {

Manifest read_manifest(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase)
{
  archive::ZipReader zip(
      archive, [](std::string_view name) { return name == k_manifest_name || name.ends_with(".csv"); }, passphrase);
  while (zip.next_entry()) {
    if (zip.entry_name() != k_manifest_name)
      continue;
    std::string text;
    std::string buffer(1 << 16, '\0');
    while (const std::size_t got = zip.read(buffer.data(), buffer.size())) {
      text.append(buffer.data(), got);
      if (text.size() > (64 << 20))
        throw Error(ErrorKind::data, "manifest.json is too large",
                    "the archive is corrupt or was tampered with; use another backup");
    }
    return parse_manifest(text);
  }
  throw Error(ErrorKind::data, fmt::format("backup {} has no manifest.json", archive.filename().string()),
              "the archive is corrupt or was tampered with; use another backup");
}

}  // namespace crm::snapshot
