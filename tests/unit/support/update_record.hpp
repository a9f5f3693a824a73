#pragma once
// One record's update through the store port's batch call, for tests that
// set up a store state: Error(not_found) when the backend says so.

#include <crm/base/error.hpp>
#include <crm/store/store.hpp>

#include <span>
#include <string>

namespace crm::test {

inline void update_record(store::Writer& writer, const store::ObjectType& type, store::RecordId id,
                          std::span<const std::string> properties, std::span<const std::string> values)
{
  const store::RecordUpdate update{id, {properties.begin(), properties.end()}, {values.begin(), values.end()}};
  const auto outcome = writer.update_records(type, std::span(&update, 1)).at(0);
  if (outcome.status != store::UpdateStatus::applied)
    throw Error(ErrorKind::not_found, outcome.reason);
}

}  // namespace crm::test
