#pragma once
// The demo account's object types and properties: every standard object, the
// custom object "pets" (2-1), every property type, sensitive and read-only
// properties (issue 2).

#include <crm/store/model.hpp>

#include <cstdint>
#include <vector>

namespace crm::demo {

struct DemoObject {
  store::ObjectType type;
  std::int64_t record_count = 0;
};

// The objects with record counts in proportion to `contacts`. tickets is left
// with no records on purpose: backups then show "no file for an empty object".
std::vector<DemoObject> demo_objects(std::int64_t contacts);

// True for enumerations whose values are several options joined with ';'.
bool is_multi_select(const store::Property& property);

}  // namespace crm::demo
