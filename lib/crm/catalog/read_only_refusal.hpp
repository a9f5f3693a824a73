#pragma once
// The error for a change asked of a repository opened for reading: a bug in
// the caller, which should have opened it to write.

#include <crm/base/error.hpp>

#include <string_view>

namespace crm::catalog {

// Error(internal) "cannot <action>: the backup repository was opened for reading".
Error read_only_refusal(std::string_view action);

}  // namespace crm::catalog
