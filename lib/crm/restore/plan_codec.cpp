#include "crm/restore/plan_codec.hpp"

#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/base/utf8.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>

namespace crm::restore {

using nlohmann::json;

namespace {

[[noreturn]] void damaged(std::string_view what, std::string_view problem)
{
  throw Error(ErrorKind::data, fmt::format("plan file {} is damaged: {}", what, problem),
              "make a new plan with crm-restore plan");
}

// nlohmann's dump() sorts object keys (std::map) and, with no indent, adds no
// spaces. Invalid UTF-8 is refused, never replaced: a replaced byte would be
// written into the CRM by apply (SPEC §8: no text is silently replaced).
std::string dump(const json& value)
{
  try {
    return value.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::type_error&) {
    throw Error(ErrorKind::data, "a value for the plan is not valid UTF-8",
                "the backup or the store holds text that is not UTF-8; fix it at its source");
  }
}

const json& member(const json& object, const char* key, std::string_view what)
{
  const auto found = object.find(key);
  if (found == object.end())
    damaged(what, fmt::format("missing \"{}\"", key));
  return *found;
}

std::string text(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  if (!value.is_string())
    damaged(what, fmt::format("\"{}\" is not text", key));
  return value.get<std::string>();
}

std::int64_t number(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  // An unsigned value past INT64_MAX would come back negative.
  if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX))
    damaged(what, fmt::format("\"{}\" is not a whole number", key));
  return value.get<std::int64_t>();
}

// A time: RFC 3339 UTC text, null for none (0); version 1 plans wrote Unix
// seconds, read the same.
UnixTime time(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  if (value.is_null())
    return 0;
  if (!value.is_string())
    return number(object, key, what);
  try {
    return parse_iso8601(value.get<std::string>());
  } catch (const Error&) {
    damaged(what, fmt::format("\"{}\" is not a time", key));
  }
}

json time_json(UnixTime time) { return time > 0 ? json(format_iso8601(time)) : json(); }

// Text that may be missing: null (or "" in version 1 plans).
std::string optional_text(const json& object, const char* key, std::string_view what)
{
  return member(object, key, what).is_null() ? std::string() : text(object, key, what);
}

json text_json(const std::string& value) { return value.empty() ? json() : json(value); }

bool boolean(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  if (!value.is_boolean())
    damaged(what, fmt::format("\"{}\" is not true or false", key));
  return value.get<bool>();
}

void text_list(const json& object, const char* key, std::string_view what, std::vector<std::string>& out)
{
  const json& value = member(object, key, what);
  if (!value.is_array())
    damaged(what, fmt::format("\"{}\" is not a list", key));
  out.clear();
  out.reserve(value.size());
  for (const json& item : value) {
    if (!item.is_string())
      damaged(what, fmt::format("\"{}\" holds something other than text", key));
    out.push_back(item.get<std::string>());
  }
}

const json& object_member(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  if (!value.is_object())
    damaged(what, fmt::format("\"{}\" is not an object", key));
  return value;
}

const json& array_member(const json& object, const char* key, std::string_view what)
{
  const json& value = member(object, key, what);
  if (!value.is_array())
    damaged(what, fmt::format("\"{}\" is not a list", key));
  return value;
}

// The header's and the summary's members as the plan file names them, shared
// by its lines and by the review that crm-restore prints.
json refused_list(const PlanHeader& header)
{
  json refused = json::array();
  for (const auto& property : header.refused)
    refused.push_back({{"name", property.name}, {"reason", property.reason}});
  return refused;
}

json source_object(const PlanSource& source)
{
  return {
      {"kind", source.kind},
      {"backup_id", text_json(source.backup_id)},
      {"file", source.file},
      {"sha256", source.sha256},
      {"snapshot_time", time_json(source.snapshot_time)},
      {"checksums_verified", source.are_checksums_verified},
      {"undo_of_import", source.undo_of_import > 0 ? json(source.undo_of_import) : json()},
  };
}

// Without workflows_unchecked, which the plan file holds only when set.
json summary_object(const PlanSummary& summary)
{
  json workflows = json::array();
  for (const auto& workflow : summary.workflows)
    workflows.push_back({{"id", workflow.id},
                         {"name", workflow.name},
                         {"trigger_properties", json(workflow.trigger_properties)},
                         {"records", workflow.records}});
  return {
      {"records_to_change", summary.records_to_change}, {"values_to_set", summary.values_to_set},
      {"values_to_clear", summary.values_to_clear},     {"records_unchanged", summary.records_unchanged},
      {"records_deleted", summary.records_deleted},     {"records_in_recycle_bin", summary.records_in_recycle_bin},
      {"records_created", summary.records_created},     {"workflows", workflows},
  };
}

}  // namespace

std::string encode_header(const PlanHeader& header, std::string_view format_name)
{
  const json line = {
      {"kind", "header"},
      {"format", format_name},
      {"version", header.format_version},
      {"store_id", header.store_id},
      {"account_id", header.account_id},
      {"created_at", time_json(header.created_at)},
      {"created_by", header.created_by},
      {"source", source_object(header.source)},
      {"object",
       {{"name", header.object_name}, {"object_type_id", header.object_type_id}, {"singular", header.object_singular}}},
      {"properties", json(header.properties)},
      {"refused", refused_list(header)},
  };
  return dump(line);
}

std::string encode_change(const PlanChange& change)
{
  const json line = {{"kind", "change"},
                     {"id", change.id},
                     {"properties", json(change.properties)},
                     {"before", json(change.before)},
                     {"after", json(change.after)}};
  return dump(line);
}

std::string encode_deleted(const DeletedRecord& deleted)
{
  return dump({{"kind", "deleted"}, {"id", deleted.id}, {"in_recycle_bin", deleted.is_in_recycle_bin}});
}

std::string encode_summary(const PlanSummary& summary)
{
  json line = summary_object(summary);
  line["kind"] = "summary";
  if (!summary.workflows_unchecked.empty())
    line["workflows_unchecked"] = summary.workflows_unchecked;
  return dump(line);
}

std::string encode_review(const PlanHeader& header, const PlanSummary& summary, const std::filesystem::path& path,
                          std::string_view sha256, std::span<const store::RecordId> deleted_sample,
                          std::optional<std::span<const PlanChange>> first_changes)
{
  json review = summary_object(summary);
  json by_property = json::array();
  for (const auto& counts : summary.by_property)
    by_property.push_back({{"property", counts.property},
                           {"values_to_set", counts.values_to_set},
                           {"values_to_clear", counts.values_to_clear}});
  review["by_property"] = std::move(by_property);
  review["plan"] = std::filesystem::absolute(path).lexically_normal().string();
  review["hash"] = sha256;
  review["object"] = header.object_name;
  review["source"] = source_object(header.source);
  review["properties"] = header.properties;
  review["refused"] = refused_list(header);
  review["deleted_ids_sample"] = std::vector<store::RecordId>(deleted_sample.begin(), deleted_sample.end());
  review["workflows_unchecked"] = text_json(summary.workflows_unchecked);
  if (first_changes) {
    json records = json::array();
    for (const PlanChange& change : *first_changes) {
      json values = json::array();
      for (std::size_t index = 0; index < change.properties.size(); ++index)
        values.push_back({{"property", change.properties[index]},
                          {"current", change.before[index]},
                          {"restored", change.after[index]}});
      records.push_back({{"id", change.id}, {"values", std::move(values)}});
    }
    review["first_records"] = std::move(records);
  }
  return review.dump(2, ' ', false, json::error_handler_t::replace);
}

namespace {

// The plan's bulk, its change and deleted lines, read without building a
// document, straight into the reused DecodedLine (apply reads every line of a
// plan several times). It takes only what our writer produces for those lines:
// one object of text, lists of text, whole numbers and booleans; valid UTF-8,
// no whitespace, no backslash-u escapes (nlohmann writes them only for control
// characters), numbers without sign, fraction or exponent.
// Anything else, or a member missing, stops it: decode_line then reads the
// line with nlohmann::json, which decides and names the problem.
class RecordLineReader {
public:
  explicit RecordLineReader(DecodedLine& out) : m_out(out) {}

  // True for a well-formed change or deleted line, now in `m_out`.
  bool read(std::string_view line)
  {
    m_cursor = line.data();
    m_end = line.data() + line.size();
    if (!is_valid_utf8(line) || !read_members() || m_cursor != m_end)
      return false;
    PlanChange& change = m_out.change;
    if (m_kind == "change" && (m_seen & k_change_members) == k_change_members) {
      m_out.kind = LineKind::change;
      change.id = m_id;
      return change.before.size() == change.properties.size() && change.after.size() == change.properties.size();
    }
    if (m_kind == "deleted" && (m_seen & k_deleted_members) == k_deleted_members) {
      m_out.kind = LineKind::deleted;
      m_out.deleted.id = m_id;
      m_out.deleted.is_in_recycle_bin = m_is_in_recycle_bin;
      return true;
    }
    return false;
  }

private:
  static constexpr unsigned k_kind = 1, k_id = 2, k_properties = 4, k_before = 8, k_after = 16, k_in_recycle_bin = 32;
  static constexpr unsigned k_change_members = k_kind | k_id | k_properties | k_before | k_after;
  static constexpr unsigned k_deleted_members = k_kind | k_id | k_in_recycle_bin;

  bool read_members()
  {
    if (!take('{'))
      return false;
    do {
      if (!take('"') || !read_text(m_key) || !take(':') || !read_member())
        return false;
    } while (take(','));
    return take('}');
  }

  bool read_member()
  {
    const unsigned member = m_key == "kind"             ? k_kind
                            : m_key == "id"             ? k_id
                            : m_key == "properties"     ? k_properties
                            : m_key == "before"         ? k_before
                            : m_key == "after"          ? k_after
                            : m_key == "in_recycle_bin" ? k_in_recycle_bin
                                                        : 0;
    m_seen |= member;
    switch (member) {
    case k_kind: return take('"') && read_text(m_kind);
    case k_id: return read_number(m_id);
    case k_properties: return read_list(m_out.change.properties);
    case k_before: return read_list(m_out.change.before);
    case k_after: return read_list(m_out.change.after);
    case k_in_recycle_bin: return read_boolean(m_is_in_recycle_bin);
    default: return false;
    }
  }

  bool take(char expected)
  {
    if (m_cursor == m_end || *m_cursor != expected)
      return false;
    ++m_cursor;
    return true;
  }

  // A string after its opening quote, unescaped into `out`.
  bool read_text(std::string& out)
  {
    out.clear();
    for (;;) {
      const char* const run = m_cursor;
      while (m_cursor != m_end && *m_cursor != '"' && *m_cursor != '\\' &&
             static_cast<unsigned char>(*m_cursor) >= 0x20)
        ++m_cursor;
      out.append(run, static_cast<std::size_t>(m_cursor - run));
      if (m_cursor == m_end || static_cast<unsigned char>(*m_cursor) < 0x20)
        return false;
      if (*m_cursor++ == '"')
        return true;
      if (m_cursor == m_end)
        return false;
      switch (*m_cursor++) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      default: return false;  // backslash-u: the general way
      }
    }
  }

  // A list of text, assigned over `out`'s strings to spare allocations.
  bool read_list(std::vector<std::string>& out)
  {
    if (!take('['))
      return false;
    std::size_t count = 0;
    if (!take(']')) {
      do {
        if (count == out.size())
          out.emplace_back();
        if (!take('"') || !read_text(out[count++]))
          return false;
      } while (take(','));
      if (!take(']'))
        return false;
    }
    out.resize(count);
    return true;
  }

  // Digits without a leading zero, within int64.
  bool read_number(std::int64_t& out)
  {
    const auto is_digit = [this](const char* at) { return at != m_end && *at >= '0' && *at <= '9'; };
    if (!is_digit(m_cursor) || (*m_cursor == '0' && is_digit(m_cursor + 1)))
      return false;
    std::int64_t value = 0;
    for (; is_digit(m_cursor); ++m_cursor) {
      const int digit = *m_cursor - '0';
      if (value > (INT64_MAX - digit) / 10)
        return false;
      value = value * 10 + digit;
    }
    if (m_cursor != m_end && (*m_cursor == '.' || *m_cursor == 'e' || *m_cursor == 'E'))
      return false;
    out = value;
    return true;
  }

  bool read_boolean(bool& out)
  {
    for (const bool value : {true, false}) {
      const std::string_view word = value ? "true" : "false";
      if (std::string_view(m_cursor, static_cast<std::size_t>(m_end - m_cursor)).starts_with(word)) {
        m_cursor += word.size();
        out = value;
        return true;
      }
    }
    return false;
  }

  DecodedLine& m_out;
  const char* m_cursor = nullptr;
  const char* m_end = nullptr;
  std::string m_key;
  std::string m_kind;
  std::int64_t m_id = 0;
  bool m_is_in_recycle_bin = false;
  unsigned m_seen = 0;  // the members read, as k_* bits
};

}  // namespace

void decode_line(std::string_view line, std::string_view what, DecodedLine& out)
{
  if (RecordLineReader(out).read(line))
    return;
  const json parsed = json::parse(line.begin(), line.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    damaged(what, "a line is not a JSON object");
  const std::string kind = text(parsed, "kind", what);
  if (kind == "change") {
    out.kind = LineKind::change;
    out.change.id = number(parsed, "id", what);
    text_list(parsed, "properties", what, out.change.properties);
    text_list(parsed, "before", what, out.change.before);
    text_list(parsed, "after", what, out.change.after);
    if (out.change.before.size() != out.change.properties.size() ||
        out.change.after.size() != out.change.properties.size())
      damaged(what, fmt::format("record {} has values that do not match its properties", out.change.id));
  } else if (kind == "deleted") {
    out.kind = LineKind::deleted;
    out.deleted.id = number(parsed, "id", what);
    out.deleted.is_in_recycle_bin = boolean(parsed, "in_recycle_bin", what);
  } else if (kind == "summary") {
    out.kind = LineKind::summary;
    PlanSummary& summary = out.summary;
    summary.records_to_change = number(parsed, "records_to_change", what);
    summary.values_to_set = number(parsed, "values_to_set", what);
    summary.values_to_clear = number(parsed, "values_to_clear", what);
    summary.records_unchanged = number(parsed, "records_unchanged", what);
    summary.records_deleted = number(parsed, "records_deleted", what);
    summary.records_in_recycle_bin = number(parsed, "records_in_recycle_bin", what);
    summary.records_created = number(parsed, "records_created", what);
    summary.workflows.clear();
    for (const json& item : array_member(parsed, "workflows", what)) {
      if (!item.is_object())
        damaged(what, "a workflow is not an object");
      WorkflowWarning workflow;
      workflow.id = number(item, "id", what);
      workflow.name = text(item, "name", what);
      text_list(item, "trigger_properties", what, workflow.trigger_properties);
      workflow.records = number(item, "records", what);
      summary.workflows.push_back(std::move(workflow));
    }
    summary.workflows_unchecked =
        parsed.contains("workflows_unchecked") ? text(parsed, "workflows_unchecked", what) : "";
  } else if (kind == "header") {
    out.kind = LineKind::header;
    out.format_name = text(parsed, "format", what);
    PlanHeader& header = out.header;
    // Checked before it is narrowed: 2^32 + 1 must not read as version 1.
    const std::int64_t version = number(parsed, "version", what);
    if (version < 0 || version > std::numeric_limits<int>::max())
      damaged(what, fmt::format("format version {} does not exist", version));
    header.format_version = static_cast<int>(version);
    header.store_id = text(parsed, "store_id", what);
    header.account_id = text(parsed, "account_id", what);
    header.created_at = time(parsed, "created_at", what);
    header.created_by = text(parsed, "created_by", what);
    const json& source = object_member(parsed, "source", what);
    header.source.kind = text(source, "kind", what);
    header.source.backup_id = optional_text(source, "backup_id", what);
    header.source.file = text(source, "file", what);
    header.source.sha256 = text(source, "sha256", what);
    header.source.snapshot_time = time(source, "snapshot_time", what);
    header.source.are_checksums_verified = boolean(source, "checksums_verified", what);
    header.source.undo_of_import =
        member(source, "undo_of_import", what).is_null() ? 0 : number(source, "undo_of_import", what);
    const json& object = object_member(parsed, "object", what);
    header.object_name = text(object, "name", what);
    header.object_type_id = text(object, "object_type_id", what);
    header.object_singular = text(object, "singular", what);
    text_list(parsed, "properties", what, header.properties);
    header.refused.clear();
    for (const json& item : array_member(parsed, "refused", what)) {
      if (!item.is_object())
        damaged(what, "a refused property is not an object");
      header.refused.push_back({text(item, "name", what), text(item, "reason", what)});
    }
  } else {
    damaged(what, fmt::format("unknown line kind \"{}\"", kind));
  }
}

}  // namespace crm::restore
