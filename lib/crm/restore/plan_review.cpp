#include "crm/restore/plan_review.hpp"

#include <crm/restore/plan_reader.hpp>
#include <crm/restore/private_plan.hpp>

namespace crm::restore {

PlanReview review_plan(const std::filesystem::path& plan, std::size_t max_changes)
{
  const PrivatePlan copy(plan, std::nullopt);
  PlanReview review;
  review.path = std::filesystem::absolute(plan).lexically_normal();
  review.sha256 = copy.sha256();
  PlanReader reader(copy.path());
  review.header = reader.header();
  PlanChange change;
  while (review.first_changes.size() < max_changes && reader.next_change(change))
    review.first_changes.push_back(std::move(change));
  DeletedRecord deleted;
  while (review.deleted_sample.size() < k_deleted_sample_size && reader.next_deleted(deleted))
    review.deleted_sample.push_back(deleted.id);
  review.summary = reader.finish();
  return review;
}

}  // namespace crm::restore
