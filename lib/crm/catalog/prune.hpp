#pragma once
// `crm-backup prune` and a scheduled run's pruning: retention
// (retention.hpp) decides, the repository removes.

#include <crm/base/clock.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/catalog/retention.hpp>

#include <vector>

namespace crm::catalog {

// Decides for every backup in `repository` and, unless `is_dry_run`, removes
// those decided so (Repository::remove: rows in one transaction, then
// files). Newest first. Needs the writer lock unless dry.
std::vector<PruneDecision> prune(Repository& repository, const KeepRules& rules, UnixTime now, bool is_dry_run);

}  // namespace crm::catalog
