#pragma once
// crm-demo's subcommands, one file each.

#include <cstdint>
#include <filesystem>
#include <string>

namespace crm::demo {

struct InitOptions {
  std::filesystem::path store;
  std::string tier = "enterprise";
  std::int64_t contacts = 10000;
  std::uint64_t seed = 1;
};

struct MutateOptions {
  std::filesystem::path store;
  std::uint64_t seed = 1;
};

struct ShowOptions {
  std::filesystem::path store;
  bool is_json = false;
};

int run_init(const InitOptions& options);
int run_mutate(const MutateOptions& options);
int run_show(const ShowOptions& options);

}  // namespace crm::demo
