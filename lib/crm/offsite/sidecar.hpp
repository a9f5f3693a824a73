#pragma once
// The sidecar <id>.json that travels with every archive to a remote
// (docs/offsite.md): the backup's catalog row, the archive's SHA-256 and size,
// and its manifest. It is what `remote import` rebuilds a lost catalog from,
// and what a fetched archive is checked against. An encrypted backup's
// sidecar holds no manifest: the manifest is inside the encryption, and the
// sidecar must not show what the encryption hides (its property names).
//
// A sidecar comes from a remote, so it is read distrustfully: a bad id, an
// archive name that is not the id's, a hash that is not 64 hex digits or a
// negative size is Error(data).

#include <crm/catalog/backup_record.hpp>

#include <string>
#include <string_view>

namespace crm::offsite {

inline constexpr int k_sidecar_version = 1;

struct Sidecar {
  catalog::BackupRecord record;  // state is not carried: a copy is as good as its check
  std::string manifest_json;     // the archive's manifest.json; empty for an encrypted backup
};

std::string to_json(const Sidecar& sidecar);
Sidecar parse_sidecar(std::string_view json);

}  // namespace crm::offsite
