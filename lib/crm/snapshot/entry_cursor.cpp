#include "crm/snapshot/entry_cursor.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>
#include <crm/csv/reader.hpp>
#include <crm/snapshot/record_id.hpp>

#include <fmt/format.h>

namespace crm::snapshot {

EntryCursor::EntryCursor(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                         const ObjectEntry& object)
    : m_archive(archive), m_object(object)
{
  if (m_object.record_count == 0) {
    m_is_done = true;
    return;
  }
  const std::string file_name = m_object.file_name;
  m_zip = std::make_unique<archive::ZipReader>(
      archive, [](std::string_view name) { return name == k_manifest_name || name.ends_with(".csv"); }, passphrase);
  bool is_found = false;
  while (!is_found && m_zip->next_entry())
    is_found = m_zip->entry_name() == file_name;
  if (!is_found)
    fail(fmt::format("{} is missing", file_name));
  m_csv = std::make_unique<csv::Reader>(
      [this](char* buffer, std::size_t capacity) {
        const std::size_t got = m_zip->read(buffer, capacity);
        m_hasher.update(std::string_view(buffer, got));
        return got;
      },
      file_name);
  std::vector<std::string> expected{"hs_object_id"};
  for (const auto& property : m_object.properties)
    expected.push_back(property.name);
  if (!m_csv->next(m_fields) || m_fields != expected)
    fail(fmt::format("the header row of {} does not match the manifest's properties", file_name));
}

EntryCursor::~EntryCursor() = default;

void EntryCursor::fail(const std::string& problem) const
{
  throw Error(ErrorKind::data, fmt::format("backup {} is damaged: {}", m_archive.filename().string(), problem),
              "the archive changed or was damaged while being read; run crm-backup verify");
}

bool EntryCursor::next()
{
  if (m_is_done)
    return false;
  if (!m_csv->next(m_fields)) {
    m_is_done = true;
    if (m_hasher.hex_digest() != m_object.sha256)
      fail(fmt::format("the SHA-256 of {} does not match the manifest", m_object.file_name));
    if (m_records != m_object.record_count)
      fail(fmt::format("{} holds {} records; the manifest says {}", m_object.file_name, m_records,
                       m_object.record_count));
    return false;
  }
  const auto id = m_fields.size() == m_object.properties.size() + 1 ? parse_record_id(m_fields[0]) : std::nullopt;
  if (!id || *id <= m_id)
    fail(fmt::format("{} line {} is not a record in increasing hs_object_id order", m_object.file_name,
                     m_csv->line_number()));
  m_id = *id;
  ++m_records;
  return true;
}

}  // namespace crm::snapshot
