#include "crm/catalog/read_only_refusal.hpp"

#include <fmt/format.h>

namespace crm::catalog {

Error read_only_refusal(std::string_view action)
{
  return Error(ErrorKind::internal, fmt::format("cannot {}: the backup repository was opened for reading", action),
               "this is a bug; please report it");
}

}  // namespace crm::catalog
