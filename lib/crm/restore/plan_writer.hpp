#pragma once
// Writes a plan file (or an undo file, which has the same format) as it is
// computed: memory stays bounded however many records change. The file is
// created 0600 through an AtomicFile, so nothing appears at its path until
// commit(), and a failed or interrupted plan leaves no half-written file.

#include <crm/base/atomic_file.hpp>
#include <crm/restore/plan.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace crm::crypto {
class Sha256;
}

namespace crm::restore {

constexpr std::string_view k_plan_format_name = "crm-restore-plan";
constexpr std::string_view k_undo_format_name = "crm-restore-undo";

class PlanWriter {
public:
  PlanWriter(std::filesystem::path path, const PlanHeader& header, std::string_view format_name = k_plan_format_name);
  ~PlanWriter();
  PlanWriter(const PlanWriter&) = delete;
  PlanWriter& operator=(const PlanWriter&) = delete;

  // Changes come in strictly increasing id order, then deleted records.
  void add_change(const PlanChange& change);
  void add_deleted(const DeletedRecord& deleted);

  // Counts of what was added so far (records to change, values to set and
  // clear, deleted records).
  const PlanSummary& counts() const { return m_counts; }

  // Writes the summary line (its change and deletion counts are the ones
  // counted here; the rest comes from `summary`), makes the file durable and
  // publishes it. Returns the SHA-256 (lowercase hex) of the file's bytes.
  std::string commit(const PlanSummary& summary);

private:
  void append_line(const std::string& line);
  void flush();

  AtomicFile m_file;
  std::unique_ptr<crypto::Sha256> m_hash;
  std::string m_buffer;
  PlanSummary m_counts;
  store::RecordId m_last_change = 0;
  store::RecordId m_last_deleted = 0;
  bool m_has_change = false;
  bool m_has_deleted = false;
};

}  // namespace crm::restore
