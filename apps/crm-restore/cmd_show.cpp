// crm-restore show PLAN: a plan file reviewed again before apply, per
// property and with its first records as current -> restored. Reads only the
// file (0600, its owner's), so it needs neither the store nor the repository.

#include "commands.hpp"
#include "plan_summary.hpp"

#include <crm/restore/plan_review.hpp>

namespace crm::restore_app {

namespace {

struct ShowOptions {
  std::string plan;
  std::size_t records = 10;
};

int run_show(const ShowOptions& options, const cli::CommonOptions& common)
{
  const restore::PlanReview review = restore::review_plan(options.plan, options.records);
  print_plan(review, common.is_json, std::span<const restore::PlanChange>(review.first_changes));
  return 0;
}

}  // namespace

cli::Subcommand add_show(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<ShowOptions>();
  CLI::App* command =
      app.add_subcommand("show", "Review a plan file: values set and cleared per property, its first records");
  command->add_option("plan", options->plan, "the plan file")->required();
  command->add_option("--records", options->records, "how many records to print as current -> restored (default 10)");
  return {command, [options, &common] { return run_show(*options, common); }};
}

}  // namespace crm::restore_app
