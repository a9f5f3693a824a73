// crm-demo: creates a realistic embedded CRM store and makes bad bulk edits.

#include "commands.hpp"

#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>

int main(int argc, char** argv)
{
  CLI::App app{"Create a demo CRM store, or make the bad bulk edit people restore from", "crm-demo"};
  crm::cli::add_version_flag(app, "crm-demo");
  app.require_subcommand(1);

  crm::demo::InitOptions init;
  auto* init_command = app.add_subcommand("init", "create a demo store with a realistic account");
  init_command->add_option("--store", init.store, "store to create (must not exist)")->required()->envname("CRM_STORE");
  init_command->add_option("--tier", init.tier, "plan tier")
      ->check(CLI::IsMember({"starter", "professional", "enterprise"}))
      ->capture_default_str();
  init_command->add_option("--contacts", init.contacts, "number of contacts (other objects in proportion)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  init_command->add_option("--seed", init.seed, "seed: the same seed makes the same records")->capture_default_str();

  crm::demo::MutateOptions mutate;
  auto* mutate_command = app.add_subcommand("mutate", "make a bad bulk edit to restore from");
  mutate_command->add_option("--store", mutate.store, "store to change")->required()->envname("CRM_STORE");
  mutate_command->add_option("--seed", mutate.seed, "seed for the records it picks and makes")->capture_default_str();

  crm::demo::ShowOptions show;
  auto* show_command = app.add_subcommand("show", "print what a store holds");
  show_command->add_option("--store", show.store, "store to read")->required()->envname("CRM_STORE");
  show_command->add_flag("--json", show.is_json, "print JSON on stdout");

  return crm::cli::run_main(app, argc, argv, [&] {
    if (init_command->parsed())
      return crm::demo::run_init(init);
    if (mutate_command->parsed())
      return crm::demo::run_mutate(mutate);
    return crm::demo::run_show(show);
  });
}
