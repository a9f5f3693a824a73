// The backup pipeline. This thread holds the store Reader (one read
// transaction) and turns rows into CSV, hashing each entry as it goes; the
// ZipWriter's workers compress blocks of it on every core while this thread
// writes the finished blocks and hashes the archive as it is written.
// Entries are begun lazily at an object's first record, so an object without
// records has no file, only its manifest entry with record_count 0.

#include "crm/snapshot/create.hpp"

#include <crm/archive/zip_writer.hpp>
#include <crm/auth/permissions.hpp>
#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/download_window.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/csv/writer.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/snapshot/manifest.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <future>
#include <optional>
#include <unistd.h>

namespace crm::snapshot {

namespace {

constexpr std::int64_t k_day = 24 * 60 * 60;
constexpr std::int64_t k_progress_every_records = 16384;

// The object types to back up, in the store's order; each name of `wanted`
// must name one.
std::vector<store::ObjectType> chosen_object_types(store::Reader& reader, const std::vector<std::string>& wanted)
{
  std::vector<store::ObjectType> all = reader.object_types();
  if (wanted.empty())
    return all;
  std::vector<bool> is_chosen(all.size(), false);
  for (const auto& name : wanted) {
    bool is_found = false;
    for (std::size_t index = 0; index < all.size(); ++index) {
      if (all[index].name == name || all[index].object_type_id == name) {
        is_chosen[index] = true;
        is_found = true;
      }
    }
    // A type the store could not read is skipped and reported, not refused.
    const auto gaps = reader.gaps();
    if (!is_found && std::any_of(gaps.begin(), gaps.end(), [&](const store::Gap& gap) {
          return gap.property.empty() && (gap.object == name || gap.object_type_id == name);
        }))
      continue;
    if (!is_found) {
      std::string known;
      for (const auto& type : all)
        known += (known.empty() ? "" : ", ") + type.name;
      throw Error(ErrorKind::usage, fmt::format("no object type '{}' in this account", name),
                  fmt::format("choose from {}", known));
    }
  }
  std::vector<store::ObjectType> chosen;
  for (std::size_t index = 0; index < all.size(); ++index)
    if (is_chosen[index])
      chosen.push_back(std::move(all[index]));
  return chosen;
}

// A gap matters to this backup when it is about an object type it was asked
// for (every type when none were named). "workflows" are no object type.
bool is_chosen_gap(const store::Gap& gap, const std::vector<std::string>& wanted)
{
  if (gap.object == "workflows")
    return false;
  if (wanted.empty())
    return true;
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& name) { return name == gap.object || name == gap.object_type_id; });
}

std::string format_size(std::uint64_t bytes)
{
  if (bytes < 1024)
    return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024)
    return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  if (bytes < std::uint64_t{1024} * 1024 * 1024)
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
  return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1024 * 1024 * 1024));
}

// The properties a backup writes of `type`, in order: all, or all but the
// sensitive ones.
std::vector<std::string> columns_of(const store::ObjectType& type, bool is_sensitive_excluded)
{
  std::vector<std::string> names;
  for (const auto& property : type.properties)
    if (!(is_sensitive_excluded && property.is_sensitive()))
      names.push_back(property.name);
  return names;
}

// Streams the records of every chosen object type into `zip`, filling
// `manifest.objects`.
class ObjectStreamer {
public:
  // `archive_bytes` counts what the zip writer has written so far (for the
  // progress line); it is the caller's and outlives the streamer.
  ObjectStreamer(store::Reader& reader, archive::ZipWriter& zip, const ProgressFn& progress, std::int64_t total_records,
                 const std::uint64_t& archive_bytes)
      : m_reader(reader), m_zip(zip), m_progress(progress), m_total_records(total_records),
        m_archive_bytes(archive_bytes)
  {
  }

  ObjectEntry stream(const store::ObjectType& type, bool is_sensitive_excluded)
  {
    ObjectEntry entry;
    entry.name = type.name;
    entry.object_type_id = type.object_type_id;
    entry.singular = type.singular;
    for (const auto& property : type.properties) {
      if (is_sensitive_excluded && property.is_sensitive())
        entry.excluded_properties.push_back(property.name);
      else
        entry.properties.push_back(property);
    }
    const std::vector<std::string> names = columns_of(type, is_sensitive_excluded);

    crypto::Sha256 hasher;
    csv::Writer writer([&](std::string_view bytes) {
      hasher.update(bytes);
      m_zip.write(bytes);
      m_bytes += static_cast<std::int64_t>(bytes.size());
      report(type.name);
    });
    std::vector<std::string_view> fields(names.size() + 1);
    char id_text[24];
    bool is_entry_begun = false;
    m_reader.scan_records(type, names, [&](store::RecordId id, std::span<const std::string_view> values) {
      if (!is_entry_begun) {
        m_zip.begin_entry(type.name + ".csv");
        fields[0] = "hs_object_id";
        for (std::size_t index = 0; index < names.size(); ++index)
          fields[index + 1] = names[index];
        writer.write_row(fields);
        is_entry_begun = true;
      }
      const auto converted = std::to_chars(id_text, id_text + sizeof id_text, id);
      fields[0] = std::string_view(id_text, static_cast<std::size_t>(converted.ptr - id_text));
      std::copy(values.begin(), values.end(), fields.begin() + 1);
      writer.write_row(fields);
      ++entry.record_count;
      ++m_records;
      if (m_records % k_progress_every_records == 0)
        report(type.name);
    });
    if (is_entry_begun) {
      writer.flush();
      m_zip.end_entry();
      entry.file_name = type.name + ".csv";
      entry.sha256 = hasher.hex_digest();
    }
    report(type.name);
    return entry;
  }

private:
  void report(std::string_view stage)
  {
    if (m_progress)
      m_progress(Progress{stage, m_records, m_total_records, m_bytes, m_reader.requests_sent(),
                          static_cast<std::int64_t>(m_archive_bytes)});
  }

  store::Reader& m_reader;
  archive::ZipWriter& m_zip;
  const ProgressFn& m_progress;
  std::int64_t m_total_records;
  const std::uint64_t& m_archive_bytes;
  std::int64_t m_records = 0;
  std::int64_t m_bytes = 0;
};

std::vector<std::pair<std::string, std::string>> notify_environment(const std::string& id, std::string_view state,
                                                                    const std::string& archive, int exit_code)
{
  return {{"CRM_BACKUP_ID", id},
          {"CRM_BACKUP_STATE", std::string(state)},
          {"CRM_BACKUP_ARCHIVE", archive},
          {"CRM_BACKUP_EXIT_CODE", std::to_string(exit_code)}};
}

}  // namespace

std::int64_t minimum_backup_interval(store::PlanTier tier)
{
  return tier == store::PlanTier::enterprise ? k_day : 7 * k_day;
}

CreateResult create(store::Store& store, const std::filesystem::path& repository_path, std::string_view user_name,
                    const CreateOptions& options, const Clock& clock, const ProgressFn& progress)
{
  const UnixTime snapshot_time = clock.now();
  // The one read transaction of the backup: everything below reads this instant.
  std::unique_ptr<store::Reader> reader = store.read();
  auth::require_super_admin(reader->find_user(user_name), user_name, "create backups");
  const store::Account account = reader->account();
  const std::vector<store::ObjectType> types = chosen_object_types(*reader, options.objects);

  auto repository = catalog::Repository::open(repository_path, catalog::OpenIntent::create);
  repository.acquire_writer_lock();
  if (account.has_backup_plan_limits)
    repository.check_frequency(
        catalog::FrequencyLimit{std::string(store::to_string(account.tier)), minimum_backup_interval(account.tier)},
        snapshot_time);

  catalog::Journal journal = repository.journal();
  notify::Destinations notify_to{&journal, &store, account.store_id, notify::configured_command(repository.settings())};
  catalog::PendingArchive pending = repository.begin_archive(snapshot_time);
  const std::string id = pending.id;
  const std::filesystem::path archive_path = pending.file->path();

  try {
    std::int64_t total_records = 0;
    if (progress)
      for (const auto& type : types)
        total_records += reader->count_records(type);

    Manifest manifest;
    manifest.tool_version = CRM_VERSION;
    manifest.account_id = account.id;
    manifest.store_id = account.store_id;
    manifest.snapshot_time = snapshot_time;
    manifest.is_sensitive_excluded = options.is_sensitive_excluded;
    manifest.is_consistent_snapshot = store.guarantees().is_consistent_snapshot;

    // The archive is hashed as it is written: no second read of the file.
    crypto::Sha256 archive_hasher;
    std::uint64_t size_bytes = 0;
    archive::ZipWriterOptions zip_options;
    zip_options.entry_time = snapshot_time;
    zip_options.compression_level = options.compression_level;
    zip_options.passphrase = options.passphrase ? &*options.passphrase : nullptr;
    zip_options.threads = options.threads;
    zip_options.on_output = [&](std::string_view bytes) {
      archive_hasher.update(bytes);
      size_bytes += bytes.size();
    };
    {
      archive::ZipWriter zip(pending.fd(), archive_path.filename().string(), zip_options);
      ObjectStreamer streamer(*reader, zip, progress, total_records, size_bytes);
      // Without a snapshot, say exactly how many records may be half-changed:
      // those of a type modified between the backup's start and the end of
      // that type's scan (a later change leaves the backed-up row whole).
      // Each count runs while the next type is scanned.
      std::vector<store::PlannedScan> scans;
      for (const auto& type : types)
        scans.push_back({type, columns_of(type, options.is_sensitive_excluded)});
      reader->will_scan(scans, manifest.is_consistent_snapshot ? std::nullopt : std::optional(snapshot_time));
      std::vector<std::future<std::int64_t>> modified;
      for (const auto& type : types) {
        manifest.objects.push_back(streamer.stream(type, options.is_sensitive_excluded));
        if (!manifest.is_consistent_snapshot)
          modified.push_back(std::async(std::launch::async, [&reader, &type, snapshot_time] {
            return reader->count_modified_since(type, snapshot_time);
          }));
      }
      for (std::size_t index = 0; index < modified.size(); ++index)
        manifest.objects[index].modified_during_backup = modified[index].get();
      for (auto& gap : reader->gaps())
        if (!(gap.is_sensitive && options.is_sensitive_excluded) && is_chosen_gap(gap, options.objects))
          manifest.skipped.push_back(std::move(gap));
      const std::string manifest_json = to_json(manifest);
      zip.begin_entry(k_manifest_name);
      zip.write(manifest_json);
      zip.end_entry();
      zip.close();
    }
    reader.reset();
    const std::string archive_sha256 = archive_hasher.hex_digest();
    CreateResult result;
    result.id = id;
    result.archive = archive_path;
    result.created_at = snapshot_time;
    result.size_bytes = size_bytes;
    result.sha256 = archive_sha256;
    result.is_encrypted = options.passphrase.has_value();
    result.is_sensitive_excluded = options.is_sensitive_excluded;
    std::int64_t record_total = 0;
    for (const auto& object : manifest.objects) {
      result.objects.emplace_back(object.name, object.record_count);
      record_total += object.record_count;
      result.modified_during_backup += object.modified_during_backup;
    }
    result.skipped = manifest.skipped;
    result.is_consistent_snapshot = manifest.is_consistent_snapshot;

    catalog::BackupRecord record;
    record.sha256 = archive_sha256;
    record.account_id = account.id;
    record.user = std::string(user_name);
    record.note = options.note;
    record.is_encrypted = result.is_encrypted;
    record.is_sensitive_excluded = options.is_sensitive_excluded;
    record.objects = result.objects;
    record.format_version = k_format_version;
    // Damaged on its way to disk: Error(data), and nothing is published. Read
    // through our own descriptor: the very file that is then published.
    if (options.is_verified_before_ready)
      verify(fmt::format("/proc/self/fd/{}", pending.fd()), options.passphrase);
    const catalog::BackupRecord published = repository.publish(std::move(pending), record);
    if (options.is_verified_before_ready)
      repository.set_state(id, catalog::BackupState::verified, clock.now());
    result.size_bytes = static_cast<std::uint64_t>(published.size_bytes);
    result.expires_at = catalog::expires_at(published);

    notify::Event event;
    event.kind = "backup.ready";
    event.user = std::string(user_name);
    event.at = snapshot_time;
    event.message =
        fmt::format("backup {} ready: {} records in {} objects, {}, downloadable until {}", id, record_total,
                    manifest.objects.size(), format_size(size_bytes), format_human(result.expires_at));
    event.environment = notify_environment(id, "ready", archive_path.string(), 0);
    notify::deliver(event, notify_to, options.print_line);
    return result;
  } catch (const Error& error) {
    // The user is told through every channel that does not need the failed
    // pieces; the one stderr line is the error itself, printed by the caller.
    reader.reset();
    if (options.failure_notice == FailureNotice::by_caller)
      throw;
    notify::Event event;
    event.kind = "backup.failed";
    event.user = std::string(user_name);
    event.at = snapshot_time;
    event.message = fmt::format("backup {} failed: {}", id, error.line());
    event.environment = notify_environment(id, "failed", "", exit_code(error.kind()));
    notify::deliver(event, notify_to, {});
    throw;
  }
}

}  // namespace crm::snapshot
