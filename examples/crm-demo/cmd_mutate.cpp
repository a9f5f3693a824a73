// crm-demo mutate: the bad bulk edit a restore undoes. Overwrites dealstage
// on up to 5000 deals, clears lifecyclestage on up to 5000 contacts, moves a
// few records to the recycle bin, adds a property and makes new records.

#include "commands.hpp"
#include "random.hpp"
#include "value_maker.hpp"

#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/sqlite/names.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace crm::demo {

namespace {

struct MutateOptions {
  std::filesystem::path store;
  std::uint64_t seed = 1;
};

constexpr std::int64_t k_bulk_edit_limit = 5000;

store::ObjectType require_type(store::Reader& reader, std::string_view name)
{
  auto type = reader.find_object_type(name);
  if (!type)
    throw Error(ErrorKind::data, fmt::format("the store has no {}", name), "make it with crm-demo init");
  return *type;
}

// The first `limit` ids of `type` in id order.
std::vector<store::RecordId> first_ids(store::Reader& reader, const store::ObjectType& type, std::int64_t limit)
{
  std::vector<store::RecordId> ids;
  reader.scan_records(type, {}, [&](store::RecordId id, std::span<const std::string_view>) {
    if (static_cast<std::int64_t>(ids.size()) < limit)
      ids.push_back(id);
  });
  return ids;
}

std::int64_t set_everywhere(store::Writer& writer, const store::ObjectType& type,
                            const std::vector<store::RecordId>& ids, const std::string& property,
                            const std::string& value)
{
  std::vector<store::RecordUpdate> batch;
  std::int64_t changed = 0;
  auto flush = [&] {
    for (const auto& outcome : writer.update_records(type, batch))
      changed += outcome.status == store::UpdateStatus::applied ? 1 : 0;
    batch.clear();
  };
  for (const auto id : ids) {
    batch.push_back({id, {property}, {value}});
    if (batch.size() == store::k_max_update_batch)
      flush();
  }
  flush();
  return changed;
}

std::vector<store::RecordId> pick_some(Random& random, std::vector<store::RecordId> ids, std::size_t count)
{
  std::vector<store::RecordId> picked;
  while (picked.size() < count && !ids.empty()) {
    const auto index = random.below(ids.size());
    picked.push_back(ids[index]);
    ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(index));
  }
  std::sort(picked.begin(), picked.end());
  return picked;
}

int run_mutate(const MutateOptions& options)
{
  auto store = store::open_store(options.store.string(), store::Access::read_write);
  Random random(options.seed ^ 0x6d75746174650000ULL);
  const auto now = SystemClock().now();

  std::vector<store::RecordId> deal_ids;
  std::vector<store::RecordId> contact_ids;
  store::ObjectType contacts;
  store::ObjectType deals;
  {
    auto writer = store->write();
    deals = require_type(*writer, "deals");
    contacts = require_type(*writer, "contacts");
    deal_ids = first_ids(*writer, deals, k_bulk_edit_limit);
    contact_ids = first_ids(*writer, contacts, k_bulk_edit_limit);
    const auto deals_changed = set_everywhere(*writer, deals, deal_ids, "dealstage", "closedlost");
    const auto contacts_cleared = set_everywhere(*writer, contacts, contact_ids, "lifecyclestage", "");
    writer->commit();
    fmt::print("deals: dealstage set to 'closedlost' on {} records\n", deals_changed);
    fmt::print("contacts: lifecyclestage cleared on {} records\n", contacts_cleared);
  }

  store::sqlite::Admin admin(options.store);
  const auto deleted_contacts =
      pick_some(random, contact_ids, std::clamp<std::size_t>(contact_ids.size() / 100, 1, 50));
  const auto deleted_deals = pick_some(random, deal_ids, std::clamp<std::size_t>(deal_ids.size() / 100, 1, 10));
  for (const auto id : deleted_contacts)
    admin.delete_record("contacts", id, now);
  for (const auto id : deleted_deals)
    admin.delete_record("deals", id, now);
  fmt::print("contacts: {} records moved to the recycle bin ({}...)\n", deleted_contacts.size(),
             deleted_contacts.empty() ? 0 : deleted_contacts.front());
  fmt::print("deals: {} records moved to the recycle bin ({}...)\n", deleted_deals.size(),
             deleted_deals.empty() ? 0 : deleted_deals.front());

  if (!deals.find_property("deal_health")) {
    admin.add_property("deals", store::Property{"deal_health",
                                                "Deal health",
                                                store::PropertyType::enumeration,
                                                {"healthy", "at_risk", "stalled"},
                                                false,
                                                store::Sensitivity::non_sensitive});
    fmt::print("deals: new property deal_health (enumeration)\n");
  }

  // New contacts after the highest id, made like init's.
  std::int64_t highest = 0;
  {
    auto reader = store->read();
    reader->scan_records(contacts, {}, [&](store::RecordId id, std::span<const std::string_view>) { highest = id; });
  }
  const ValueMaker maker(contacts);
  store::sqlite::RecordInserter inserter(admin, "contacts", store::sqlite::property_names(contacts));
  std::vector<std::string> values;
  std::vector<std::string_view> views;
  constexpr int k_new_contacts = 25;
  for (int made = 1; made <= k_new_contacts; ++made) {
    maker.make_row(random, highest + made, values);
    views.assign(values.begin(), values.end());
    inserter.insert(highest + made, views);
  }
  inserter.commit();
  fmt::print("contacts: {} new records ({}..{})\n", k_new_contacts, highest + 1, highest + k_new_contacts);
  return 0;
}

}  // namespace

crm::cli::Subcommand add_mutate(CLI::App& app)
{
  auto options = std::make_shared<MutateOptions>();
  CLI::App* command = app.add_subcommand("mutate", "make a bad bulk edit to restore from");
  command->add_option("--store", options->store, "store to change")->required()->envname("CRM_STORE");
  command->add_option("--seed", options->seed, "seed for the records it picks and makes")->capture_default_str();
  return {command, [options] { return run_mutate(*options); }};
}

}  // namespace crm::demo
