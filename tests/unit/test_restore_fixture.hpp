#pragma once
// A small account for the restore unit tests: deals with writable, read-only
// and calculated properties, two workflows on dealstage (one re-enrolls), a
// super admin, an SSO super admin and a viewer; and a backup of deals that
// differs from the live store in every way a plan must report.

#include "support/temp_dir.hpp"
#include "test_restore_memory_store.hpp"

namespace crm::test {

inline store::Property property(std::string name, bool is_read_only = false)
{
  store::Property property;
  property.label = "Label of " + name;
  property.name = std::move(name);
  property.is_read_only = is_read_only;
  return property;
}

inline void fill_account(MemoryStore& store)
{
  store::ObjectType deals{"deals",
                          "0-3",
                          "Deal",
                          true,
                          {property("dealname"), property("dealstage"), property("amount"),
                           property("hs_createdate", true), property("closedate")}};
  store::ObjectType conversations{"conversations", "0-11", "Conversation", false, {property("subject")}};
  store.data.types = {deals, conversations};
  store.data.users = {{"admin", true, false}, {"sso-admin", true, true}, {"viewer", false, false}};
  store.data.totp_secrets = {{"admin", "JBSWY3DPEHPK3PXP"}};
  store.data.workflows = {{1, "Stage follow-up", "0-3", {"dealstage"}, true, true},
                          {2, "Stage alert once", "0-3", {"dealstage"}, false, true},
                          {3, "Amount review", "0-3", {"amount", "closedate"}, true, true}};
  auto& live = store.data.records["deals"];
  live[1] = {{"dealname", "Alpha"}, {"dealstage", "closedlost"}, {"amount", "100"}, {"hs_createdate", "2024-01-01"}};
  live[2] = {{"dealname", "Beta, Inc"}, {"dealstage", "closedlost"}, {"amount", ""}, {"hs_createdate", "2024-01-02"}};
  live[3] = {{"dealname", "Gamma"}, {"dealstage", "appointmentscheduled"}, {"amount", "300"}};
  live[4] = {{"dealname", "Delta"}, {"dealstage", "closedlost"}, {"amount", "999"}};
  live[6] = {{"dealname", "New since"}, {"dealstage", "closedlost"}, {"amount", "1"}};
  store.data.recycle_bin["deals"] = {5};
}

// The backup: deal 1 had another stage, deal 2 an amount, deal 3 is as live,
// deal 4 had no amount (restoring it clears the value), deals 5 (now in the
// recycle bin) and 7 (purged) are gone; deal 6 was made since.
inline void fill_backup(MemoryBackup& backup)
{
  backup.entry.name = "deals";
  backup.entry.object_type_id = "0-3";
  backup.entry.singular = "Deal";
  backup.entry.file_name = "deals.csv";
  backup.entry.properties = {property("dealname"), property("dealstage"), property("amount"),
                             property("hs_createdate", true), property("retired_field")};
  backup.rows = {{1, {"Alpha", "qualifiedtobuy", "100", "2023-01-01", "x"}},
                 {2, {"Beta, Inc", "closedlost", "250.5", "2024-01-02", "y"}},
                 {3, {"Gamma", "appointmentscheduled", "300", "", ""}},
                 {4, {"Delta", "closedlost", "", "", ""}},
                 {5, {"Epsilon", "closedwon", "500", "", ""}},
                 {7, {"Eta", "closedwon", "700", "", ""}}};
  backup.entry.record_count = static_cast<std::int64_t>(backup.rows.size());
}

}  // namespace crm::test
