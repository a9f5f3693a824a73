#pragma once
// The store port over HubSpot's API: one class reads and writes, since every
// read and write is an independent API call. No snapshot: a backup counts
// the records modified while it ran (count_modified_since). Writes are batch
// updates of at most 100 records, each committed when HubSpot answers.

#include <crm/store/hubspot/api_client.hpp>
#include <crm/store/store.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace crm::store::hubspot {

class PageSpill;

struct AccountSettings {
  PlanTier tier = PlanTier::professional;
  std::set<std::string, std::less<>> sso_users;  // e-mails of users who sign in with SSO
};

class HubSpotSession final : public Writer {
public:
  HubSpotSession(ApiClient& api, const AccountSettings& settings, bool may_write);
  ~HubSpotSession() override;

  Account account() override;
  std::vector<ObjectType> object_types() override;
  void scan_records(const ObjectType& type, std::span<const std::string> properties, const RecordFn& fn) override;
  void scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn) override;
  std::vector<Workflow> workflows() override;
  std::vector<User> users() override;
  std::int64_t count_records(const ObjectType& type) override;
  void read_records(const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                    const RecordFn& fn) override;
  std::vector<Gap> gaps() override;
  std::int64_t count_modified_since(const ObjectType& type, UnixTime since) override;
  std::int64_t count_changes(const ObjectType& type, UnixTime since);  // a search, now
  void will_scan(std::span<const PlannedScan> scans, std::optional<UnixTime> since) override;
  std::int64_t requests_sent() const override { return m_api.counters().requests; }

  std::vector<UpdateOutcome> update_records(const ObjectType& type, std::span<const RecordUpdate> batch) override;
  void commit() override {}

private:
  void discover();
  std::vector<UpdateOutcome> send_updates(const ObjectType& type, std::span<const RecordUpdate> batch);

  ApiClient& m_api;
  const AccountSettings& m_settings;
  bool m_may_write;
  std::optional<std::vector<ObjectType>> m_types;
  std::vector<Gap> m_gaps;

  // will_scan: the later scans, fetched by one thread into spills while the
  // backup writes the earlier ones, so two chains of pages use the budget.
  struct Ahead {
    PlannedScan scan;
    std::shared_ptr<PageSpill> spill;
    std::promise<std::int64_t> changes;  // counted since m_since right after the last page
    std::shared_future<std::int64_t> counted_changes;
  };
  std::optional<UnixTime> m_since;
  std::vector<Ahead> m_ahead;
  std::atomic<bool> m_is_stopping{false};
  std::thread m_fetcher;
};

}  // namespace crm::store::hubspot
