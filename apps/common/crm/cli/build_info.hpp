#pragma once
// What --version prints after the program's name.

#include <string_view>

namespace crm::cli {

// "0.1.0", or "0.1.0 (git 0123456789ab)" when built from a git checkout
// ("…, modified)" when tracked files differed from that commit). Defined in
// the build folder's build_info.cpp (cmake/build_info.cmake).
std::string_view build_version();

}  // namespace crm::cli
