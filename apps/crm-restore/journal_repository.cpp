// The repository whose journal crm-restore keeps its bookkeeping in.

#include "commands.hpp"

namespace crm::restore_app {

catalog::Repository journal_repository(const cli::CommonOptions& common, catalog::OpenIntent intent)
{
  return catalog::Repository::open(cli::require_repo(common), intent);
}

}  // namespace crm::restore_app
