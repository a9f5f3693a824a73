#include <crm/base/error.hpp>
#include <crm/store/hubspot/hubspot_store.hpp>
#include <crm/store/sqlite/sqlite_store.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

#include <cctype>

namespace crm::store {

namespace {

// "hubspot:", "https://...": a scheme of letters, digits, '+', '-' or '.'
// before the first ':'. A path never has one (a relative "a:b" is written
// "./a:b").
std::string_view scheme_of(std::string_view locator)
{
  const auto colon = locator.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return {};
  const auto scheme = locator.substr(0, colon);
  for (const char c : scheme)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      return {};
  return scheme;
}

}  // namespace

std::int64_t Reader::count_records(const ObjectType& type)
{
  std::int64_t count = 0;
  scan_records(type, {}, [&](RecordId, std::span<const std::string_view>) { ++count; });
  return count;
}

void Reader::read_records(const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                          const RecordFn& fn)
{
  RecordId wanted = 0;
  bool has_wanted = ids(wanted);
  if (!has_wanted)
    return;
  // Both streams ascend: one merge pass.
  scan_records(type, properties, [&](RecordId id, std::span<const std::string_view> values) {
    while (has_wanted && wanted < id)
      has_wanted = ids(wanted);
    if (has_wanted && wanted == id) {
      fn(id, values);
      has_wanted = ids(wanted);
    }
  });
  // The rest are missing; the source still sees each (it may count them).
  while (has_wanted)
    has_wanted = ids(wanted);
}

std::int64_t Reader::count_modified_since(const ObjectType&, UnixTime) { return 0; }

std::optional<ObjectType> Reader::find_object_type(std::string_view name_or_id)
{
  auto types = object_types();
  // A name wins over an id: a custom object could be named like one.
  for (auto& type : types)
    if (type.name == name_or_id)
      return std::move(type);
  for (auto& type : types)
    if (type.object_type_id == name_or_id)
      return std::move(type);
  return std::nullopt;
}

std::optional<User> Reader::find_user(std::string_view name)
{
  for (auto& user : users())
    if (user.name == name)
      return std::move(user);
  return std::nullopt;
}

std::string Store::second_factor_secret(std::string_view) { return {}; }

bool Store::notify_in_crm(const Notification&) { return false; }

std::unique_ptr<Store> open_store(std::string_view locator, Access access, const StoreSettings& settings)
{
  if (locator.empty())
    throw Error(ErrorKind::usage, "no store given", "pass --store or set CRM_STORE");
  const auto scheme = scheme_of(locator);
  if (scheme == "hubspot")
    return hubspot::open_hubspot_store(locator.substr(scheme.size() + 1), access, settings);
  if (!scheme.empty())
    throw Error(ErrorKind::config, fmt::format("no store backend for '{}:' in this build", scheme),
                "give the path of an embedded store, or a locator this version supports (docs/store-schema.md)");
  return std::make_unique<sqlite::SqliteStore>(std::filesystem::path(locator), access == Access::read_write);
}

}  // namespace crm::store
