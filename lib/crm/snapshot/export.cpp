#include "crm/snapshot/export.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/csv/spreadsheet.hpp>
#include <crm/snapshot/entry_cursor.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace crm::snapshot {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void cannot_create_directory(const fs::path& directory, int error_number)
{
  if (error_number == ENOSPC || error_number == EDQUOT || error_number == EIO)
    throw_errno(error_number, "create the directory", directory.string(), true);
  throw Error(ErrorKind::cannot_create,
              fmt::format("cannot create the directory {}: {}", directory.string(),
                          error_number == ENOTDIR ? "a part of it is not a directory" : std::strerror(error_number)),
              "choose a directory you can write");
}

bool is_present(const fs::path& path)
{
  struct stat status {};
  return ::lstat(path.c_str(), &status) == 0;  // a dangling symbolic link counts
}

// The directory written into, made when missing. Until keep(), destroying it
// removes what the export published and the directories it made (empty by
// then), so that a failed export leaves nothing behind.
class Output {
public:
  explicit Output(const fs::path& directory)
  {
    try {
      prepare(directory);
    } catch (...) {
      remove_made_directories();
      throw;
    }
  }
  ~Output()
  {
    if (m_is_kept)
      return;
    for (const auto& file : m_published)
      ::unlink(file.c_str());
    remove_made_directories();
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  const fs::path& directory() const { return m_directory; }

  void refuse_existing(const fs::path& file) const
  {
    if (is_present(file))
      throw Error(ErrorKind::cannot_create, fmt::format("{} already exists", file.string()),
                  "export into a new or empty directory, or remove the old files first");
  }

  void publish(AtomicFile& file)
  {
    // Checked again just before the rename: a file made meanwhile is not replaced.
    refuse_existing(file.path());
    file.commit();
    m_published.push_back(file.path());
  }

  void keep() { m_is_kept = true; }

private:
  void prepare(const fs::path& directory)
  {
    fs::path normal = fs::absolute(directory).lexically_normal();
    if (normal.has_parent_path() && normal.filename().empty())
      normal = normal.parent_path();  // "out/" names "out"
    std::vector<fs::path> missing;
    for (fs::path probe = normal; !is_present(probe) && probe != probe.parent_path(); probe = probe.parent_path())
      missing.push_back(probe);
    for (auto made = missing.rbegin(); made != missing.rend(); ++made) {
      if (::mkdir(made->c_str(), 0700) != 0)
        cannot_create_directory(*made, errno);
      m_made.push_back(*made);
    }
    std::error_code error;
    if (!fs::is_directory(normal, error))
      throw Error(ErrorKind::cannot_create, fmt::format("{} is not a directory", normal.string()),
                  "give a directory (it is made when missing)");
    m_directory = fs::canonical(normal, error);
    if (error)
      cannot_create_directory(normal, error.value());
  }

  // Empty by then: an export's temporary files are gone with their AtomicFile.
  void remove_made_directories() noexcept
  {
    for (auto made = m_made.rbegin(); made != m_made.rend(); ++made)
      ::rmdir(made->c_str());
  }

  fs::path m_directory;
  std::vector<fs::path> m_made;  // outermost first
  std::vector<fs::path> m_published;
  bool m_is_kept = false;
};

[[noreturn]] void changed(const fs::path& archive, std::string_view problem)
{
  throw Error(ErrorKind::data, fmt::format("backup {} is damaged: {}", archive.filename().string(), problem),
              "the archive changed or was damaged while being read; run crm-backup verify");
}

// The entry's bytes, hashed as they are copied.
void export_exact(const fs::path& archive, const std::optional<SecretString>& passphrase, const Manifest& manifest,
                  Output& output, ExportResult& result, const ProgressFn& progress)
{
  archive::ZipReader zip(
      archive, [](std::string_view name) { return name == k_manifest_name || name.ends_with(".csv"); }, passphrase);
  std::vector<bool> is_done(manifest.objects.size(), false);
  std::string buffer(1 << 16, '\0');
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  while (zip.next_entry()) {
    const std::string name = zip.entry_name();
    if (name == k_manifest_name)
      continue;
    std::size_t index = 0;
    while (index < manifest.objects.size() &&
           (manifest.objects[index].record_count == 0 || manifest.objects[index].file_name != name))
      ++index;
    if (index == manifest.objects.size())
      changed(archive, fmt::format("unexpected entry '{}', not named in the manifest", printable(name)));
    if (is_done[index])
      changed(archive, fmt::format("entry '{}' appears twice", name));
    const ObjectEntry& object = manifest.objects[index];
    AtomicFile file(output.directory() / object.file_name);
    crypto::Sha256 hasher;
    while (const std::size_t got = zip.read(buffer.data(), buffer.size())) {
      const std::string_view chunk(buffer.data(), got);
      hasher.update(chunk);
      file.write(chunk);
      bytes += static_cast<std::int64_t>(got);
      if (progress)
        progress(Progress{object.name, records, result.records, bytes});
    }
    if (hasher.hex_digest() != object.sha256)
      changed(archive, fmt::format("the SHA-256 of {} does not match the manifest", object.file_name));
    output.publish(file);
    is_done[index] = true;
    records += object.record_count;
  }
  for (std::size_t index = 0; index < manifest.objects.size(); ++index)
    if (manifest.objects[index].record_count > 0 && !is_done[index])
      changed(archive, fmt::format("{}, named in the manifest, is missing", manifest.objects[index].file_name));
}

// Record by record through EntryCursor, which checks the entry's hash and
// count at its end.
void export_spreadsheet(const fs::path& archive, const std::optional<SecretString>& passphrase,
                        const Manifest& manifest, Output& output, ExportResult& result, const ProgressFn& progress)
{
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  for (const ObjectEntry& object : manifest.objects) {
    if (object.record_count == 0)
      continue;
    std::vector<csv::CellKind> kinds{csv::CellKind::number};
    std::vector<std::string_view> header{k_record_id_label};
    for (const auto& property : object.properties) {
      kinds.push_back(property.type == store::PropertyType::number ? csv::CellKind::number : csv::CellKind::text);
      header.push_back(property.label.empty() ? std::string_view(property.name) : std::string_view(property.label));
    }
    EntryCursor cursor(archive, passphrase, object);
    AtomicFile file(output.directory() / object.file_name);
    csv::SpreadsheetWriter writer(
        [&](std::string_view chunk) {
          file.write(chunk);
          bytes += static_cast<std::int64_t>(chunk.size());
        },
        kinds);
    writer.write_header(header);
    std::vector<std::string_view> fields(kinds.size());
    while (cursor.next()) {
      const std::string id = std::to_string(cursor.id());
      fields[0] = id;
      const auto values = cursor.values();
      for (std::size_t column = 0; column < values.size(); ++column)
        fields[column + 1] = values[column];
      writer.write_row(fields);
      if (progress && ++records % 4096 == 0)
        progress(Progress{object.name, records, result.records, bytes});
    }
    writer.flush();
    output.publish(file);
  }
}

}  // namespace

ExportResult export_backup(const fs::path& archive, const std::optional<SecretString>& passphrase,
                           const fs::path& directory, ExportForm form, const ProgressFn& progress)
{
  Output output(directory);
  const VerifyReport verified = verify(archive, passphrase, progress);
  const Manifest& manifest = verified.manifest;
  ExportResult result;
  result.directory = output.directory();
  for (const ObjectEntry& object : manifest.objects) {
    if (object.record_count == 0)
      continue;
    // verify() matched every name with an entry the zip reader allows: a
    // plain name, so the file lands in the directory.
    if (!archive::is_plain_entry_name(object.file_name))
      changed(archive, fmt::format("the manifest names the file '{}'", printable(object.file_name)));
    const fs::path path = result.directory / object.file_name;
    output.refuse_existing(path);
    result.files.push_back(ExportedFile{object.name, path, object.record_count});
    result.records += object.record_count;
  }
  if (form == ExportForm::exact)
    export_exact(archive, passphrase, manifest, output, result, progress);
  else
    export_spreadsheet(archive, passphrase, manifest, output, result, progress);
  output.keep();
  return result;
}

}  // namespace crm::snapshot
