#include "commands.hpp"

namespace crm::schedule_app {

schedule::Invocation run_invocation(const cli::CommonOptions& common, int every_minutes, const std::string& log_file)
{
  schedule::Invocation invocation;
  invocation.program = schedule::current_program();
  invocation.store = cli::require_store(common);
  invocation.repository = cli::require_repo(common);
  invocation.log_file = log_file;
  invocation.every_minutes = every_minutes;
  return invocation;
}

}  // namespace crm::schedule_app
