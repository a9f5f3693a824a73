// crm-demo init: builds the whole store under a temporary name beside the
// target (bulk-load mode: no journal, no fsync), returns it to WAL mode and
// links it into place only when complete, so a failed or killed init never
// leaves a half-made store at --store.

#include "commands.hpp"
#include "demo_schema.hpp"
#include "random.hpp"
#include "value_maker.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/sqlite/names.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/random.h>
#include <unistd.h>

namespace crm::demo {

namespace {

struct InitOptions {
  std::filesystem::path store;
  std::string tier = "enterprise";
  std::int64_t contacts = 10000;
  std::uint64_t seed = 1;
};

std::string random_base32_secret()
{
  unsigned char bytes[20];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
    throw Error(ErrorKind::io, "cannot read random bytes for the TOTP secret", "check /dev/urandom");
  constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string secret;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      secret += k_alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return secret;  // 160 bits: exactly 32 characters, no padding
}

Error already_exists(const std::filesystem::path& path)
{
  return Error(ErrorKind::cannot_create, fmt::format("{} already exists", path.string()),
               "choose another path or remove the old store first");
}

void remove_store_files(const std::filesystem::path& path)
{
  std::error_code error;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(std::filesystem::path(path.string() + suffix), error);
}

void fill(const std::filesystem::path& path, const InitOptions& options, const std::vector<DemoObject>& objects,
          const std::string& totp_secret)
{
  store::sqlite::Admin admin(path);
  admin.begin_bulk_load();
  for (const auto& object : objects)
    admin.add_object_type(object.type);
  admin.add_user(store::User{"admin", true, false}, totp_secret);
  admin.add_user(store::User{"sso-admin", true, true});
  admin.add_user(store::User{"viewer", false, false});
  admin.add_workflow(store::Workflow{0, "Notify owner when deal stage changes", "0-3", {"dealstage"}, true, true});
  admin.add_workflow(store::Workflow{0, "Welcome new deals", "0-3", {"amount", "pipeline"}, false, true});

  Random random(options.seed);
  std::vector<std::string> values;
  std::vector<std::string_view> views;
  for (const auto& object : objects) {
    const ValueMaker maker(object.type);
    store::sqlite::RecordInserter inserter(admin, object.type.name, store::sqlite::property_names(object.type));
    store::RecordId id = 0;
    for (std::int64_t made = 0; made < object.record_count; ++made) {
      id += 1 + static_cast<store::RecordId>(random.below(3));  // ids with gaps, as in a real account
      maker.make_row(random, id, values);
      views.assign(values.begin(), values.end());
      inserter.insert(id, views);
    }
    inserter.commit();
  }
  admin.end_bulk_load();
}

int run_init(const InitOptions& options)
{
  std::error_code error;
  if (std::filesystem::exists(options.store, error))
    throw already_exists(options.store);
  const auto objects = demo_objects(options.contacts);
  const auto directory = options.store.has_parent_path() ? options.store.parent_path() : std::filesystem::path(".");
  const auto temporary = directory / fmt::format(".tmp-{}-{}", options.store.filename().string(), ::getpid());
  remove_store_files(temporary);

  const std::string totp_secret = random_base32_secret();
  const store::Account account{fmt::format("{}", 40000000 + options.seed % 10000000),
                               fmt::format("Demo Company {} (seed {})", options.tier, options.seed), "",
                               store::parse_plan_tier(options.tier)};
  try {
    store::sqlite::create_store(temporary, account);
    fill(temporary, options, objects, totp_secret);
    // link() fails when --store appeared meanwhile: never overwrite a store.
    if (::link(temporary.c_str(), options.store.c_str()) != 0) {
      if (errno == EEXIST)
        throw already_exists(options.store);
      throw_errno(errno, "create the store", options.store.string(), true);
    }
  } catch (...) {
    remove_store_files(temporary);
    throw;
  }
  remove_store_files(temporary);
  fsync_directory(directory);
  write_file_atomically(options.store.string() + ".admin-totp", totp_secret + "\n", 0600);

  fmt::print("Created {} for account {} \"{}\" (plan {}, seed {})\n", options.store.string(), account.id, account.name,
             options.tier, options.seed);
  fmt::print("{:<15} {:<14} {:>9} {:>11}\n", "object", "objectTypeId", "records", "properties");
  std::int64_t total = 0;
  for (const auto& object : objects) {
    fmt::print("{:<15} {:<14} {:>9} {:>11}{}\n", object.type.name, object.type.object_type_id, object.record_count,
               object.type.properties.size(),
               object.record_count == 0 ? "   (empty on purpose: no file in a backup)" : "");
    total += object.record_count;
  }
  fmt::print("{:<15} {:<14} {:>9}\n", "total", "", total);
  fmt::print("users: admin (super admin, TOTP secret in {}.admin-totp), sso-admin (super admin, SSO), viewer\n",
             options.store.string());
  fmt::print("workflows on deals: \"Notify owner when deal stage changes\" (dealstage, re-enrollment allowed), "
             "\"Welcome new deals\" (no re-enrollment)\n");
  return 0;
}

}  // namespace

crm::cli::Subcommand add_init(CLI::App& app)
{
  auto options = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand("init", "create a demo store with a realistic account");
  command->add_option("--store", options->store, "store to create (must not exist)")->required()->envname("CRM_STORE");
  command->add_option("--tier", options->tier, "plan tier")
      ->check(CLI::IsMember({"starter", "professional", "enterprise"}))
      ->capture_default_str();
  command->add_option("--contacts", options->contacts, "number of contacts (other objects in proportion)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  command->add_option("--seed", options->seed, "seed: the same seed makes the same records")->capture_default_str();
  return {command, [options] { return run_init(*options); }};
}

}  // namespace crm::demo
