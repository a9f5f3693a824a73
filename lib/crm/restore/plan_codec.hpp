#pragma once
// The lines of a plan file, one JSON object each (docs/restore-plan-format.md).
// Encoding is deterministic (keys sorted, no spaces, UTF-8 as is), so the same
// plan always has the same bytes and therefore the same hash.
//
// Decoding distrusts its input: any missing key, wrong type or unknown line
// kind is Error(data) saying the plan file is damaged.

#include <crm/restore/plan.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace crm::restore {

enum class LineKind { header, change, deleted, summary };

// Each returns the line without its trailing '\n'.
std::string encode_header(const PlanHeader& header, std::string_view format_name);
std::string encode_change(const PlanChange& change);
std::string encode_deleted(const DeletedRecord& deleted);
std::string encode_summary(const PlanSummary& summary);

// A plan's review as one pretty-printed JSON object (crm-restore plan, undo
// and show --json; docs/json/crm-restore-plan.schema.json): the plan file
// `path` (made absolute) and its hash, the header's object, source,
// properties and refused ones, the summary's members with the per-property
// counts, and the first deleted ids; each named as in the plan file. For
// people, so invalid UTF-8 is replaced, not refused. With `first_changes`
// (crm-restore show), also "first_records": each as
// {"id", "values": [{"property", "current", "restored"}]}.
std::string encode_review(const PlanHeader& header, const PlanSummary& summary, const std::filesystem::path& path,
                          std::string_view sha256, std::span<const store::RecordId> deleted_sample,
                          std::optional<std::span<const PlanChange>> first_changes = std::nullopt);

// A parsed line; only the member of its kind is filled.
struct DecodedLine {
  LineKind kind = LineKind::change;
  std::string format_name;  // of a header line
  PlanHeader header;
  PlanChange change;
  DeletedRecord deleted;
  PlanSummary summary;
};

// Parses `line` into `out` (reused across lines to spare allocations). `what`
// names the file in messages.
void decode_line(std::string_view line, std::string_view what, DecodedLine& out);

}  // namespace crm::restore
