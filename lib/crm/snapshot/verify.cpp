// One pass over the archive. Each CSV entry is hashed and parsed at the same
// time; a CSV problem is remembered rather than thrown, and the rest of the
// entry is still hashed, so that a damaged entry is reported as a checksum
// mismatch (the precise diagnosis) rather than as whatever parse error the
// damage happens to cause. The manifest is the last entry, so the comparison
// with it happens after the pass.

#include "crm/snapshot/verify.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/csv/reader.hpp>
#include <crm/snapshot/record_id.hpp>

#include <fmt/format.h>

#include <map>
#include <set>

namespace crm::snapshot {

namespace {

constexpr std::size_t k_max_manifest_bytes = 64 << 20;

struct EntryFacts {
  std::string sha256;
  std::int64_t records = 0;
  std::uint64_t bytes = 0;
  std::vector<std::string> header;
  std::string problem;             // the first CSV problem; empty when well-formed
  bool is_read_by_caller = false;  // content not read here: the caller's EntryCursor checks it
};

EntryFacts check_csv_entry(archive::ZipReader& zip, const std::string& name)
{
  EntryFacts facts;
  crypto::Sha256 hasher;
  // A failure of the zip itself passes through csv::Reader as it is.
  const auto read_hashed = [&](char* buffer, std::size_t capacity) -> std::size_t {
    const std::size_t got = zip.read(buffer, capacity);
    hasher.update(std::string_view(buffer, got));
    facts.bytes += got;
    return got;
  };
  try {
    csv::Reader reader(read_hashed, name);
    std::vector<std::string> fields;
    if (!reader.next(fields)) {
      facts.problem = fmt::format("{} is empty: it has no header row", name);
    } else {
      facts.header = fields;
      store::RecordId previous = 0;
      while (facts.problem.empty() && reader.next(fields)) {
        const std::int64_t line = reader.line_number();
        if (fields.size() != facts.header.size()) {
          facts.problem = fmt::format("{} line {} has {} fields; its header has {}", name, line, fields.size(),
                                      facts.header.size());
        } else if (const auto id = parse_record_id(fields[0]); !id) {
          facts.problem = fmt::format("{} line {}: '{}' is not an hs_object_id", name, line, printable(fields[0]));
        } else if (*id <= previous) {
          facts.problem = fmt::format("{} line {}: hs_object_id {} does not follow {} in increasing order", name, line,
                                      *id, previous);
        } else {
          previous = *id;
          ++facts.records;
        }
      }
    }
  } catch (const csv::MalformedCsv& error) {
    facts.problem = error.what();
  }
  std::string rest(1 << 16, '\0');
  while (read_hashed(rest.data(), rest.size()) > 0) {
  }
  facts.sha256 = hasher.hex_digest();
  return facts;
}

std::string read_manifest_entry(archive::ZipReader& zip)
{
  std::string text;
  std::string buffer(1 << 16, '\0');
  for (;;) {
    const std::size_t got = zip.read(buffer.data(), buffer.size());
    if (got == 0)
      return text;
    text.append(buffer.data(), got);
    if (text.size() > k_max_manifest_bytes)
      throw Error(ErrorKind::data, fmt::format("manifest.json is larger than {} bytes", k_max_manifest_bytes),
                  "the archive is corrupt or was tampered with; use another backup");
  }
}

class Verifier {
public:
  explicit Verifier(const std::filesystem::path& archive) : m_archive(archive) {}

  [[noreturn]] void fail(std::string_view problem) const { throw damaged_backup(m_archive, problem); }

  void compare(const Manifest& manifest, const std::map<std::string, EntryFacts>& entries) const
  {
    std::set<std::string> named;
    for (const auto& object : manifest.objects) {
      if (object.record_count == 0) {
        if (entries.count(object.name + ".csv"))
          fail(fmt::format("{}.csv is in the archive, but the manifest says '{}' has no records", object.name,
                           object.name));
        continue;
      }
      named.insert(object.file_name);
      const auto found = entries.find(object.file_name);
      if (found == entries.end())
        fail(fmt::format("{}, named in the manifest, is missing", object.file_name));
      const EntryFacts& facts = found->second;
      if (facts.is_read_by_caller)
        continue;
      if (facts.sha256 != object.sha256)
        fail(fmt::format("the SHA-256 of {} does not match the manifest", object.file_name));
      if (!facts.problem.empty())
        fail(facts.problem);
      if (facts.header != csv_header(object))
        fail(fmt::format("the header row of {} does not match the manifest's properties", object.file_name));
      if (facts.records != object.record_count)
        fail(fmt::format("{} holds {} records; the manifest says {}", object.file_name, facts.records,
                         object.record_count));
    }
    for (const auto& [name, facts] : entries)
      if (!named.count(name))
        fail(fmt::format("unexpected entry '{}', not named in the manifest", name));
  }

private:
  std::filesystem::path m_archive;
};

}  // namespace

Error damaged_backup(const std::filesystem::path& archive, std::string_view problem)
{
  return Error(ErrorKind::data, fmt::format("backup {} is damaged: {}", archive.filename().string(), problem),
               "the archive is corrupt or was tampered with; use another backup");
}

VerifyReport verify(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                    const ProgressFn& progress, const IsReadByCaller& is_read_by_caller)
{
  const Verifier verifier(archive);
  const auto is_expected_name = [](std::string_view name) {
    return name == k_manifest_name || (name.size() > 4 && name.ends_with(".csv"));
  };
  archive::ZipReader zip(archive, is_expected_name, passphrase);
  std::optional<Manifest> manifest;
  std::map<std::string, EntryFacts> entries;
  VerifyReport report;
  while (zip.next_entry()) {
    const std::string name = zip.entry_name();
    if (name == k_manifest_name) {
      if (manifest)
        verifier.fail("manifest.json appears twice");
      manifest = parse_manifest(read_manifest_entry(zip));
      continue;
    }
    if (entries.count(name))
      verifier.fail(fmt::format("entry '{}' appears twice", name));
    if (is_read_by_caller && is_read_by_caller(name)) {
      EntryFacts facts;
      facts.is_read_by_caller = true;
      entries.emplace(name, std::move(facts));
      continue;
    }
    EntryFacts facts = check_csv_entry(zip, name);
    report.records += facts.records;
    report.csv_bytes += facts.bytes;
    ++report.files_checked;
    entries.emplace(name, std::move(facts));
    if (progress)
      progress(Progress{name, report.records, 0, static_cast<std::int64_t>(report.csv_bytes)});
  }
  if (!manifest)
    verifier.fail("manifest.json is missing");
  verifier.compare(*manifest, entries);
  report.manifest = std::move(*manifest);
  return report;
}

}  // namespace crm::snapshot
