#include "crm/offsite/sidecar.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::offsite {

namespace {

Error bad_sidecar(std::string_view problem)
{
  return Error(ErrorKind::data, fmt::format("a sidecar on the remote is not valid: {}", problem),
               "the remote was changed outside crm-backup; remove that file or copy it again with remote sync");
}

template <typename T> T field(const nlohmann::ordered_json& json, const char* name)
{
  if (!json.contains(name))
    throw bad_sidecar(fmt::format("no \"{}\"", name));
  try {
    return json.at(name).get<T>();
  } catch (const nlohmann::ordered_json::exception&) {
    throw bad_sidecar(fmt::format("\"{}\" has the wrong type", name));
  }
}

}  // namespace

std::string to_json(const Sidecar& sidecar)
{
  const catalog::BackupRecord& record = sidecar.record;
  nlohmann::ordered_json json;
  json["sidecar_version"] = k_sidecar_version;
  json["id"] = record.id;
  json["created_at"] = format_iso8601(record.created_at);
  json["archive_name"] = record.archive_name;
  json["size_bytes"] = record.size_bytes;
  json["sha256"] = record.sha256;
  json["account_id"] = record.account_id;
  json["user"] = record.user;
  json["note"] = record.note;
  json["encrypted"] = record.is_encrypted;
  json["sensitive_excluded"] = record.is_sensitive_excluded;
  json["format_version"] = record.format_version;
  // An object in backup order: sidecars written before the catalog kept
  // that order read the same way.
  json["objects"] = nlohmann::ordered_json::object();
  for (const auto& [name, count] : record.objects)
    json["objects"][name] = count;
  json["manifest"] = sidecar.manifest_json.empty() ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json::parse(sidecar.manifest_json);
  return json.dump(2) + "\n";
}

Sidecar parse_sidecar(std::string_view text)
{
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!json.is_object())
    throw bad_sidecar("not a JSON object");
  const int version = field<int>(json, "sidecar_version");
  if (version > k_sidecar_version)
    throw Error(ErrorKind::data,
                fmt::format("a sidecar on the remote has version {}; this crm-backup knows up to {}", version,
                            k_sidecar_version),
                "upgrade crm-backup");
  Sidecar sidecar;
  catalog::BackupRecord& record = sidecar.record;
  record.id = field<std::string>(json, "id");
  if (!catalog::is_backup_id(record.id))
    throw bad_sidecar(fmt::format("\"{}\" is not a backup id", printable(record.id, 40)));
  record.created_at = parse_iso8601(field<std::string>(json, "created_at"));
  record.archive_name = field<std::string>(json, "archive_name");
  if (record.archive_name != catalog::archive_name_for(record.id))
    throw bad_sidecar(fmt::format("backup {} names the archive \"{}\"", record.id, printable(record.archive_name, 80)));
  record.size_bytes = field<std::int64_t>(json, "size_bytes");
  record.sha256 = field<std::string>(json, "sha256");
  if (record.size_bytes <= 0 || !crypto::is_sha256_hex(record.sha256))
    throw bad_sidecar(fmt::format("backup {} has a bad size or SHA-256", record.id));
  record.account_id = field<std::string>(json, "account_id");
  record.user = field<std::string>(json, "user");
  record.note = field<std::string>(json, "note");
  record.is_encrypted = field<bool>(json, "encrypted");
  record.is_sensitive_excluded = field<bool>(json, "sensitive_excluded");
  record.format_version = field<int>(json, "format_version");
  const auto objects = field<nlohmann::ordered_json>(json, "objects");
  if (!objects.is_object())
    throw bad_sidecar("\"objects\" has the wrong type");
  for (const auto& [name, count] : objects.items()) {
    if (!count.is_number_integer())
      throw bad_sidecar(fmt::format("the record count of \"{}\" is not a number", printable(name, 40)));
    record.objects.emplace_back(name, count.get<std::int64_t>());
  }
  if (json.contains("manifest") && json["manifest"].is_object())
    sidecar.manifest_json = json["manifest"].dump();
  return sidecar;
}

}  // namespace crm::offsite
