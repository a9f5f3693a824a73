#include "crm/restore/plan.hpp"

namespace crm::restore {

std::string import_name(const std::string& object_singular) { return "Data Restore - " + object_singular; }

}  // namespace crm::restore
