#include "crm/snapshot/backup_reader.hpp"

#include <crm/base/error.hpp>
#include <crm/snapshot/archive_manifest.hpp>
#include <crm/snapshot/entry_cursor.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crm::snapshot {

namespace {

// Thrown by the verifying thread's progress callback to stop it early; never
// leaves this file.
struct Cancelled {};

}  // namespace

BackupReader::BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase,
                           Verification verification, const IsReadInFull& is_read_in_full)
    : m_archive(std::move(archive)), m_passphrase(std::move(passphrase))
{
  if (verification == Verification::before) {
    m_manifest = verify(m_archive, m_passphrase).manifest;
    return;
  }
  m_manifest = read_manifest(m_archive, m_passphrase);
  for (const auto& object : m_manifest.objects)
    if (object.record_count > 0 && is_read_in_full && is_read_in_full(object))
      m_read_by_caller.push_back(&object);
  // m_read_by_caller is complete before the thread starts and never changes.
  m_verified = std::async(std::launch::async, [this] {
    return verify(
               m_archive, m_passphrase,
               [this](const Progress&) {
                 if (m_is_cancelled)
                   throw Cancelled{};
               },
               [this](std::string_view name) {
                 return std::any_of(m_read_by_caller.begin(), m_read_by_caller.end(),
                                    [name](const ObjectEntry* object) { return object->file_name == name; });
               })
        .manifest;
  });
}

BackupReader::~BackupReader()
{
  if (!m_verified.valid())
    return;
  m_is_cancelled = true;
  try {
    m_verified.get();
  } catch (...) {  // cancelled, or a failure nobody asked for any more
  }
}

void BackupReader::remember_failure(std::exception_ptr failure) const
{
  const std::lock_guard lock(m_mutex);
  if (!m_failure)
    m_failure = std::move(failure);
}

std::exception_ptr BackupReader::failure() const
{
  const std::lock_guard lock(m_mutex);
  return m_failure;
}

void BackupReader::wait_for_verification() const
{
  if (!m_verified.valid())
    return;
  try {
    const Manifest verified = m_verified.get();  // rethrows the verification's Error
    if (to_json(verified) != to_json(m_manifest))
      throw Error(ErrorKind::data,
                  fmt::format("backup archive {} changed while it was read: its manifest is not the one verified",
                              m_archive.string()),
                  "run the command again; if it fails again, verify the backup");
  } catch (...) {
    remember_failure(std::current_exception());
  }
}

void BackupReader::require_verified() const
{
  wait_for_verification();
  for (const ObjectEntry* object : m_read_by_caller) {
    if (const auto failed = failure())
      std::rethrow_exception(failed);
    bool is_read_through = false;
    {
      const std::lock_guard lock(m_mutex);
      is_read_through = m_read_through.count(object->file_name) > 0;
    }
    // Left to a scan that did not reach the end (the caller stopped early or
    // failed elsewhere): checked here, so that "verified" still means every entry.
    if (!is_read_through)
      scan(*object, [](store::RecordId, std::span<const std::string>) {});
  }
  if (const auto failed = failure())
    std::rethrow_exception(failed);
}

void BackupReader::scan(const ObjectEntry& object, const BackupRecordFn& fn) const
{
  std::optional<EntryCursor> cursor;
  // Damage the cursor finds is the archive's verification failing: it is
  // remembered for require_verified(). What `fn` throws is not.
  const auto advance = [&] {
    try {
      if (!cursor)
        cursor.emplace(m_archive, m_passphrase, object);
      return cursor->next();
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::data)
        remember_failure(std::current_exception());
      throw;
    }
  };
  while (advance())
    fn(cursor->id(), cursor->values());
  const std::lock_guard lock(m_mutex);
  m_read_through.insert(object.file_name);
}

}  // namespace crm::snapshot
