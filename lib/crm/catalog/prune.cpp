#include "crm/catalog/prune.hpp"

#include <string>

namespace crm::catalog {

std::vector<PruneDecision> prune(Repository& repository, const KeepRules& rules, UnixTime now, bool is_dry_run)
{
  std::vector<PruneDecision> decisions = plan_retention(repository.list(), rules, now);
  if (is_dry_run)
    return decisions;
  std::vector<std::string> ids;
  for (const PruneDecision& decision : decisions)
    if (decision.action == PruneAction::remove)
      ids.push_back(decision.record.id);
  repository.remove(ids);
  return decisions;
}

}  // namespace crm::catalog
