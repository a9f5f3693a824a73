#include "crm/restore/hosted_export.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/base/error.hpp>
#include <crm/base/lowercase.hpp>
#include <crm/base/printable.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/csv/reader.hpp>
#include <crm/restore/plan_writer.hpp>
#include <crm/sql/database.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace crm::restore {

namespace {

constexpr std::size_t k_max_spill_columns = 2000;

bool is_csv_name(std::string_view name) { return lowercase(name).ends_with(".csv"); }

// The object type a file holds, from its name: the object's name or singular
// appearing in it, the longest such match winning.
const store::ObjectType* object_for_file(const std::vector<store::ObjectType>& types, std::string_view file_name)
{
  const std::string stem = lowercase(file_name.substr(0, file_name.size() - 4));
  const store::ObjectType* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& type : types)
    for (const std::string& candidate : {lowercase(type.name), lowercase(type.singular)})
      if (!candidate.empty() && stem.find(candidate) != std::string::npos && candidate.size() > best_length) {
        best = &type;
        best_length = candidate.size();
      }
  return best;
}

struct MappedHeader {
  std::size_t id_column = 0;
  std::vector<std::size_t> columns;  // the CSV column of each property, in entry order
  std::vector<store::Property> properties;
};

MappedHeader map_header(const store::ObjectType& type, const std::vector<std::string>& cells, std::string_view file)
{
  MappedHeader mapped;
  std::optional<std::size_t> id_column;
  for (std::size_t column = 0; column < cells.size(); ++column) {
    const std::string& cell = cells[column];
    if (cell == "hs_object_id" || lowercase(cell) == "record id") {
      if (id_column)
        throw Error(ErrorKind::data, fmt::format("{} has two id columns", file), "export the object again");
      id_column = column;
      continue;
    }
    const store::Property* property = type.find_property(cell);
    if (property == nullptr)
      for (const auto& candidate : type.properties)
        if (lowercase(candidate.label) == lowercase(cell)) {
          property = &candidate;
          break;
        }
    store::Property mapped_property;
    if (property != nullptr) {
      mapped_property = *property;
    } else {
      mapped_property.name = cell;
      mapped_property.label = cell;
    }
    const bool is_duplicate =
        std::any_of(mapped.properties.begin(), mapped.properties.end(),
                    [&](const store::Property& seen) { return seen.name == mapped_property.name; });
    if (is_duplicate)
      throw Error(ErrorKind::data,
                  fmt::format("{} has two columns for property {}", file, printable(mapped_property.name)),
                  "export the object again");
    mapped.columns.push_back(column);
    mapped.properties.push_back(std::move(mapped_property));
  }
  if (!id_column)
    throw Error(ErrorKind::data, fmt::format("{} has no id column (hs_object_id or Record ID)", file),
                "export the object again with its record ids");
  mapped.id_column = *id_column;
  return mapped;
}

store::RecordId parse_id(std::string_view text, std::string_view file, std::int64_t line)
{
  store::RecordId id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0)
    throw Error(ErrorKind::data, fmt::format("{} line {}: '{}' is not a record id", file, line, printable(text)),
                "export the object again");
  return id;
}

bool same_names(const std::vector<store::Property>& a, const std::vector<store::Property>& b)
{
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const store::Property& x, const store::Property& y) { return x.name == y.name; });
}

}  // namespace

bool has_manifest(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase)
{
  archive::ZipReader zip(
      archive, [](std::string_view) { return true; }, passphrase);
  while (zip.next_entry())
    if (zip.entry_name() == "manifest.json")
      return true;
  return false;
}

HostedExport::HostedExport(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase,
                           store::Reader& live, std::string_view object_name, HostedExportLimits limits)
{
  m_description.kind = "hosted-export";
  m_description.file = std::filesystem::absolute(archive).lexically_normal().string();
  m_description.sha256 = crypto::file_sha256(archive);
  m_description.are_checksums_verified = false;
  const auto types = live.object_types();

  m_spill = std::make_unique<sql::Database>(std::filesystem::path(), sql::OpenMode::temporary, "temporary export copy");
  std::uint64_t spilled_bytes = 0;
  m_spill->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  std::optional<sql::Transaction> transaction;
  std::optional<sql::Statement> insert;

  archive::ZipReader zip(archive, is_csv_name, passphrase);
  std::vector<std::string> fields;
  std::size_t files = 0;
  while (zip.next_entry()) {
    ++files;
    const std::string file = zip.entry_name();
    const store::ObjectType* type = object_for_file(types, file);
    if (type == nullptr)
      throw Error(ErrorKind::data, fmt::format("cannot tell which object {} holds", file),
                  "name each CSV after its object, e.g. deals.csv");
    csv::ReaderOptions options;
    options.is_strict = false;
    csv::Reader reader([&zip](char* buffer, std::size_t capacity) { return zip.read(buffer, capacity); }, file,
                       options);
    if (!reader.next(fields))
      throw Error(ErrorKind::data, fmt::format("{} is empty: it has no header row", file), "export the object again");
    const MappedHeader header = map_header(*type, fields, file);
    const bool is_wanted = type->name == object_name || type->object_type_id == object_name;
    if (is_wanted) {
      if (!m_entry) {
        m_entry = snapshot::ObjectEntry{};
        m_entry->name = type->name;
        m_entry->object_type_id = type->object_type_id;
        m_entry->singular = type->singular;
        m_entry->file_name = file;
        m_entry->properties = header.properties;
        // SQLite's default limit is 2000 columns a table, the id included.
        if (header.properties.size() >= k_max_spill_columns)
          throw Error(ErrorKind::data,
                      fmt::format("{} has {} property columns; a hosted export can have at most {}", file,
                                  header.properties.size(), k_max_spill_columns - 1),
                      "export fewer properties");
        std::string columns;
        std::string parameters = "?";
        for (std::size_t index = 0; index < header.properties.size(); ++index) {
          columns += fmt::format(", c{} TEXT", index);
          parameters += ", ?";
        }
        m_spill->exec(fmt::format("CREATE TABLE records (id INTEGER PRIMARY KEY{})", columns));
        transaction.emplace(*m_spill);
        insert.emplace(*m_spill, fmt::format("INSERT OR IGNORE INTO records VALUES ({})", parameters));
      } else if (!same_names(m_entry->properties, header.properties)) {
        throw Error(
            ErrorKind::data,
            fmt::format("{} and {} both hold {} but with different columns", m_entry->file_name, file, type->name),
            "export the object again");
      }
    }
    while (reader.next(fields)) {
      if (fields.size() != header.columns.size() + 1)
        throw Error(ErrorKind::data,
                    fmt::format("{} line {}: {} fields where the header has {}", file, reader.line_number(),
                                fields.size(), header.columns.size() + 1),
                    "export the object again");
      const store::RecordId id = parse_id(fields[header.id_column], file, reader.line_number());
      if (!is_wanted)
        continue;
      spilled_bytes += sizeof(store::RecordId);
      for (const std::size_t column : header.columns)
        spilled_bytes += fields[column].size();
      if (spilled_bytes > limits.max_spill_bytes)
        throw Error(ErrorKind::data,
                    fmt::format("{} line {}: the export's {} rows pass the limit of {} bytes for a hosted export", file,
                                reader.line_number(), type->name, limits.max_spill_bytes),
                    "export fewer properties, or restore from a backup made by crm-backup");
      insert->reset();
      insert->bind(1, id);
      for (std::size_t index = 0; index < header.columns.size(); ++index)
        insert->bind(static_cast<int>(index) + 2, fields[header.columns[index]]);
      insert->run();
      if (m_spill->changes() == 0)
        throw Error(ErrorKind::data, fmt::format("{} line {}: record {} appears twice", file, reader.line_number(), id),
                    "export the object again");
      ++m_entry->record_count;
    }
  }
  if (files == 0)
    throw Error(ErrorKind::data, fmt::format("{} holds no CSV file", archive.string()),
                "give a backup made by crm-backup or a zip exported by the CRM");
  if (transaction)
    transaction->commit();
}

HostedExport::~HostedExport() = default;

const snapshot::ObjectEntry* HostedExport::find(std::string_view object_name) const
{
  if (!m_entry || (m_entry->name != object_name && m_entry->object_type_id != object_name))
    return nullptr;
  return &*m_entry;
}

void HostedExport::scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn)
{
  if (find(object.name) == nullptr || object.record_count == 0)
    return;
  sql::Statement select(*m_spill, "SELECT * FROM records ORDER BY id");
  std::vector<std::string> values(object.properties.size());
  while (select.step()) {
    for (std::size_t index = 0; index < values.size(); ++index)
      values[index] = select.text(static_cast<int>(index) + 1);
    fn(select.integer(0), values);
  }
}

}  // namespace crm::restore
