#pragma once
// The plan apply runs, exactly as the user confirmed it (SPEC §8 "what was
// reviewed is what runs"). The plan file is read once, through one file
// descriptor, into a private copy (an unlinked file nobody else can open or
// change) while its SHA-256 is computed; the hash is checked against the
// confirmed one, and every later pass (the checks, the undo file, the
// writes) reads the private copy. Replacing or editing the plan file after
// the check changes nothing.

#include <crm/restore/plan.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace crm::restore {

class PrivatePlan {
public:
  // Copies `plan` and checks it: a missing file is Error(not_found); a hash
  // other than `confirm_hash` (any case) Error(data); a damaged plan
  // Error(data). Without `confirm_hash` (crm-restore show) the copy is only
  // reviewed, and sha256() says what to confirm.
  PrivatePlan(const std::filesystem::path& plan, std::optional<std::string_view> confirm_hash);
  ~PrivatePlan();
  PrivatePlan(const PrivatePlan&) = delete;
  PrivatePlan& operator=(const PrivatePlan&) = delete;

  // A path that opens the private copy (/proc/self/fd/N), for PlanReader.
  const std::filesystem::path& path() const { return m_path; }
  const std::string& sha256() const { return m_sha256; }
  const PlanHeader& header() const { return m_header; }
  const PlanSummary& summary() const { return m_summary; }

private:
  int m_fd = -1;
  std::filesystem::path m_path;
  std::string m_sha256;
  PlanHeader m_header;
  PlanSummary m_summary;
};

}  // namespace crm::restore
