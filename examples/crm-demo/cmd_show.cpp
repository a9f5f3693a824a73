// crm-demo show: what a store holds, read through one read-only snapshot.
// The store_id is left out on purpose: two stores made with the same seed
// show the same.

#include "commands.hpp"

#include <crm/store/sqlite/basic_reader.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace crm::demo {

namespace {

struct ShowOptions {
  std::filesystem::path store;
  bool is_json = false;
};

int run_show(const ShowOptions& options)
{
  auto store = store::open_store(options.store.string(), store::Access::read_only);
  auto reader = store->read();
  const auto account = reader->account();
  nlohmann::ordered_json result;
  result["account"] = {{"id", account.id}, {"name", account.name}, {"tier", store::to_string(account.tier)}};
  auto objects = nlohmann::ordered_json::array();
  for (const auto& type : reader->object_types()) {
    std::int64_t deleted = 0;
    reader->scan_deleted(type, [&](store::RecordId) { ++deleted; });
    std::int64_t sensitive = 0;
    std::int64_t read_only = 0;
    for (const auto& property : type.properties) {
      sensitive += property.is_sensitive() ? 1 : 0;
      read_only += property.is_read_only ? 1 : 0;
    }
    objects.push_back(nlohmann::ordered_json::object({{"name", type.name},
                                                      {"object_type_id", type.object_type_id},
                                                      {"records", reader->count_records(type)},
                                                      {"properties", type.properties.size()},
                                                      {"sensitive_properties", sensitive},
                                                      {"read_only_properties", read_only},
                                                      {"deleted", deleted}}));
  }
  auto users = nlohmann::ordered_json::array();
  for (const auto& user : reader->users())
    users.push_back(nlohmann::ordered_json::object({{"name", user.name},
                                                    {"is_super_admin", user.is_super_admin},
                                                    {"uses_sso", user.uses_sso},
                                                    {"has_totp", !store->second_factor_secret(user.name).empty()}}));
  auto workflows = nlohmann::ordered_json::array();
  for (const auto& workflow : reader->workflows())
    workflows.push_back(nlohmann::ordered_json::object({{"id", workflow.id},
                                                        {"name", workflow.name},
                                                        {"object_type_id", workflow.object_type_id},
                                                        {"trigger_properties", workflow.trigger_properties},
                                                        {"allows_reenrollment", workflow.allows_reenrollment},
                                                        {"is_enabled", workflow.is_enabled}}));

  result["objects"] = objects;
  result["users"] = users;
  result["workflows"] = workflows;

  if (options.is_json) {
    fmt::print("{}\n", result.dump(2));
    return 0;
  }
  fmt::print("account {} \"{}\", plan {}\n", account.id, account.name, store::to_string(account.tier));
  fmt::print("{:<15} {:<14} {:>9} {:>11} {:>8}\n", "object", "objectTypeId", "records", "properties", "deleted");
  for (const auto& object : objects)
    fmt::print("{:<15} {:<14} {:>9} {:>11} {:>8}\n", object["name"].get<std::string>(),
               object["object_type_id"].get<std::string>(), object["records"].get<std::int64_t>(),
               object["properties"].get<std::size_t>(), object["deleted"].get<std::int64_t>());
  for (const auto& user : users)
    fmt::print("user {}{}{}\n", user["name"].get<std::string>(),
               user["is_super_admin"].get<bool>() ? " (super admin)" : "",
               user["uses_sso"].get<bool>() ? " (SSO)" : "");
  for (const auto& workflow : workflows)
    fmt::print("workflow {} on {}: \"{}\"{}\n", workflow["id"].get<std::int64_t>(),
               workflow["object_type_id"].get<std::string>(), workflow["name"].get<std::string>(),
               workflow["allows_reenrollment"].get<bool>() ? " (re-enrollment allowed)" : "");
  return 0;
}

}  // namespace

crm::cli::Subcommand add_show(CLI::App& app)
{
  auto options = std::make_shared<ShowOptions>();
  CLI::App* command = app.add_subcommand("show", "print what a store holds");
  command->add_option("--store", options->store, "store to read")->required()->envname("CRM_STORE");
  command->add_flag("--json", options->is_json, "print JSON on stdout");
  return {command, [options] { return run_show(*options); }};
}

}  // namespace crm::demo
