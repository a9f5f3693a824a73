#pragma once
// A plan file read back for review (crm-restore show PLAN): what plan printed
// when it wrote the file, and the first records as current -> restored.

#include <crm/restore/planner.hpp>

#include <cstddef>
#include <filesystem>
#include <vector>

namespace crm::restore {

struct PlanReview : PlanResult {
  std::vector<PlanChange> first_changes;  // at most the max_changes asked for
};

// Reads `plan` once, into a private copy (private_plan.hpp), hashes it and
// checks it whole; the summary, the per-property counts, the hash to confirm
// and the first changes all come from that one copy. A missing file is
// Error(not_found), a damaged one Error(data).
PlanReview review_plan(const std::filesystem::path& plan, std::size_t max_changes);

}  // namespace crm::restore
