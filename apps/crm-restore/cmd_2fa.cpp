// crm-restore 2fa enroll|status|remove: two-factor enrollment in the journal,
// for super admins of a store that cannot verify a second factor itself (an
// API backend), or who have none in it.

#include "commands.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/auth/reauth.hpp>
#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/cli/qr_code.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

namespace crm::restore_app {

namespace {

// The acting user, checked as a super admin of the store, and the store's id.
std::pair<std::string, std::string> acting_super_admin(const cli::CommonOptions& common, std::string_view action)
{
  const std::string& user = cli::require_user(common);
  auto store = cli::open_store(common, store::Access::read_only);
  auto reader = store->read();
  auth::require_super_admin(reader->find_user(user), user, action);
  return {user, reader->account().store_id};
}

int run_enroll(const cli::CommonOptions& common)
{
  const auto [user, store_id] = acting_super_admin(common, "enroll for two-factor restores");
  auto journal = journal_repository(common, catalog::OpenIntent::create).journal();
  const SystemClock clock;
  const std::string secret = auth::enroll_second_factor(journal, store_id, user, clock);
  const std::string uri = auth::otpauth_uri("crm-backup", user, secret);
  if (common.is_json) {
    cli::print_json({{"user", user}, {"otpauth_uri", uri}});
    return 0;
  }
  // The URI holds the secret: it goes to stdout only, never to a log line.
  if (::isatty(STDOUT_FILENO))
    fmt::print("{}", cli::qr_code_text(uri));
  fmt::print("{}\n", uri);
  fmt::print(stderr, "crm-restore: {} is enrolled; scan the code or add the URI to an authenticator app\n", user);
  return 0;
}

int run_second_factor_status(const cli::CommonOptions& common)
{
  const auto [user, store_id] = acting_super_admin(common, "see two-factor enrollments");
  auto journal = journal_repository(common, catalog::OpenIntent::read).journal();
  const auto factor = journal.second_factor(store_id, user);
  const SystemClock clock;
  const bool is_locked = factor.locked_until > clock.now();
  if (common.is_json) {
    nlohmann::ordered_json out = {
        {"user", user},
        {"enrolled", !factor.secret.empty()},
        {"enrolled_at", factor.secret.empty() ? nlohmann::ordered_json() : cli::json_time(factor.enrolled_at)},
        {"failed_attempts", factor.failed_attempts},
        {"locked", is_locked},
        {"locked_until", is_locked ? cli::json_time(factor.locked_until) : nlohmann::ordered_json()}};
    cli::print_json(out);
    return 0;
  }
  fmt::print("user: {}\nenrolled: {}\n", user,
             factor.secret.empty() ? std::string("no")
                                   : fmt::format("yes, since {}", format_human(factor.enrolled_at)));
  fmt::print("wrong codes in a row: {}\n", factor.failed_attempts);
  if (is_locked)
    fmt::print("restores locked until: {}\n", format_human(factor.locked_until));
  return 0;
}

int run_remove(const cli::CommonOptions& common)
{
  const auto [user, store_id] = acting_super_admin(common, "remove two-factor enrollments");
  auto journal = journal_repository(common, catalog::OpenIntent::write).journal();
  if (!journal.remove_enrollment(store_id, user))
    throw Error(ErrorKind::not_found, fmt::format("{} is not enrolled in this repository", user),
                "crm-restore 2fa status shows the enrollment");
  if (common.is_json)
    cli::print_json({{"user", user}, {"removed", true}});
  fmt::print(stderr, "crm-restore: the two-factor enrollment of {} is removed\n", user);
  return 0;
}

}  // namespace

cli::Subcommand add_second_factor(CLI::App& app, const cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("2fa", "Two-factor enrollment for restores, kept in the repository");
  command->require_subcommand(1);
  auto* enroll = command->add_subcommand("enroll", "Enroll the acting user: prints an otpauth:// URI (and a QR code)");
  auto* status = command->add_subcommand("status", "Is the acting user enrolled, and are restores locked");
  auto* remove = command->add_subcommand("remove", "Remove the acting user's enrollment");
  return {command, [=, &common] {
            if (enroll->parsed())
              return run_enroll(common);
            if (status->parsed())
              return run_second_factor_status(common);
            if (remove->parsed())
              return run_remove(common);
            throw Error(ErrorKind::usage, "crm-restore 2fa needs enroll, status or remove",
                        "see crm-restore 2fa --help");
          }};
}

}  // namespace crm::restore_app
