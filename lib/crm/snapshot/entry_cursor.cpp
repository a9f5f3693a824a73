#include "crm/snapshot/entry_cursor.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>
#include <crm/csv/reader.hpp>
#include <crm/snapshot/record_id.hpp>
#include <crm/snapshot/verify.hpp>

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
    throw damaged_backup(m_archive, fmt::format("{}, named in the manifest, is missing", file_name));
  // A failure of the zip itself passes through csv::Reader as it is.
  m_csv = std::make_unique<csv::Reader>(
      [this](char* buffer, std::size_t capacity) { return read_hashed(buffer, capacity); }, file_name);
  if (!next_row() || m_fields != csv_header(m_object))
    fail(fmt::format("the header row of {} does not match the manifest's properties", file_name));
}

EntryCursor::~EntryCursor() = default;

std::size_t EntryCursor::read_hashed(char* buffer, std::size_t capacity)
{
  const std::size_t got = m_zip->read(buffer, capacity);
  m_hasher.update(std::string_view(buffer, got));
  return got;
}

bool EntryCursor::next_row()
{
  try {
    return m_csv->next(m_fields);
  } catch (const csv::MalformedCsv& error) {
    fail(error.what());
  }
}

void EntryCursor::fail(const std::string& problem)
{
  // Damage shows up as whatever parse error it happens to cause; a checksum
  // mismatch over the whole entry is the precise diagnosis, as verify() gives it.
  std::string rest(1 << 16, '\0');
  while (read_hashed(rest.data(), rest.size()) > 0) {
  }
  if (m_hasher.hex_digest() != m_object.sha256)
    throw damaged_backup(m_archive, fmt::format("the SHA-256 of {} does not match the manifest", m_object.file_name));
  throw damaged_backup(m_archive, problem);
}

bool EntryCursor::next()
{
  if (m_is_done)
    return false;
  if (!next_row()) {
    m_is_done = true;
    if (m_hasher.hex_digest() != m_object.sha256)
      throw damaged_backup(m_archive, fmt::format("the SHA-256 of {} does not match the manifest", m_object.file_name));
    if (m_records != m_object.record_count)
      throw damaged_backup(m_archive, fmt::format("{} holds {} records; the manifest says {}", m_object.file_name,
                                                  m_records, m_object.record_count));
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
