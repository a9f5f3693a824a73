#include "crm/store/sqlite/basic_reader.hpp"

#include <crm/base/error.hpp>
#include <crm/store/sqlite/names.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace crm::store::sqlite {

namespace {

std::vector<std::string> parse_string_list(std::string_view json_text)
{
  const auto parsed = nlohmann::json::parse(json_text, nullptr, false);
  if (!parsed.is_array())
    throw Error(ErrorKind::data, fmt::format("the store holds a malformed list: {}", json_text),
                "the store is damaged; restore it from a copy");
  std::vector<std::string> items;
  for (const auto& item : parsed)
    items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return items;
}

std::tuple<int, std::int64_t, std::string_view> sort_key(const ObjectType& type)
{
  const std::string_view id = type.object_type_id;
  std::int64_t number = 0;
  const auto dash = id.find('-');
  if (dash != std::string_view::npos) {
    const auto [end, error] = std::from_chars(id.data() + dash + 1, id.data() + id.size(), number);
    if (error == std::errc() && end == id.data() + id.size()) {
      if (id.substr(0, dash) == "0")
        return {0, number, type.name};
      if (id.substr(0, dash) == "2")
        return {2, number, type.name};
    }
  }
  return {1, 0, type.name};
}

void read_properties(sql::Database& database, ObjectType& type)
{
  auto statement = database.prepare("SELECT name, label, type, options, is_read_only, sensitivity FROM properties "
                                    "WHERE object_type = ?1 ORDER BY position");
  statement.bind(1, type.name);
  while (statement.step()) {
    Property property;
    property.name = statement.text(0);
    property.label = statement.text(1);
    property.type = parse_property_type(statement.text(2));
    property.options = parse_string_list(statement.text(3));
    property.is_read_only = statement.integer(4) != 0;
    property.sensitivity = parse_sensitivity(statement.text(5));
    type.properties.push_back(std::move(property));
  }
}

ObjectType object_type_from_row(const sql::Statement& statement)
{
  ObjectType type;
  type.name = statement.text(0);
  type.object_type_id = statement.text(1);
  type.singular = statement.text(2);
  type.is_restorable = statement.integer(3) != 0;
  return type;
}

constexpr std::string_view k_object_type_columns =
    "SELECT name, object_type_id, singular, is_restorable FROM object_types";

}  // namespace

bool is_listed_before(const ObjectType& left, const ObjectType& right) { return sort_key(left) < sort_key(right); }

ObjectType load_object_type(sql::Database& database, std::string_view object_name)
{
  auto statement = database.prepare(fmt::format("{} WHERE name = ?1", k_object_type_columns));
  statement.bind(1, object_name);
  if (!statement.step())
    throw Error(ErrorKind::not_found, fmt::format("the store has no object type '{}'", object_name),
                "run crm-demo show to list the object types");
  auto type = object_type_from_row(statement);
  read_properties(database, type);
  return type;
}

template <typename Interface> Account BasicReader<Interface>::account()
{
  auto statement = database().prepare("SELECT id, name, store_id, tier FROM account");
  if (!statement.step())
    throw Error(ErrorKind::data, "the store has no account", "the store is damaged; restore it from a copy");
  return Account{std::string(statement.text(0)), std::string(statement.text(1)), std::string(statement.text(2)),
                 parse_plan_tier(statement.text(3))};
}

template <typename Interface> std::vector<ObjectType> BasicReader<Interface>::object_types()
{
  std::vector<ObjectType> types;
  auto statement = database().prepare(k_object_type_columns);
  while (statement.step())
    types.push_back(object_type_from_row(statement));
  for (auto& type : types)
    read_properties(database(), type);
  std::sort(types.begin(), types.end(), is_listed_before);
  return types;
}

template <typename Interface> std::int64_t BasicReader<Interface>::count_records(const ObjectType& type)
{
  validate_name(type.name, "object type");
  auto statement = database().prepare(fmt::format("SELECT count(*) FROM {}", quoted_record_table(type.name)));
  statement.step();
  return statement.integer(0);
}

template <typename Interface>
void BasicReader<Interface>::scan_records(const ObjectType& type, std::span<const std::string> properties,
                                          const RecordFn& fn)
{
  validate_name(type.name, "object type");
  auto statement = database().prepare(fmt::format("SELECT {} FROM {} ORDER BY hs_object_id",
                                                  record_columns(type, properties), quoted_record_table(type.name)));
  // The hot path of a backup: one statement, one reused vector of views into
  // SQLite's own row buffers, no allocation per row.
  std::vector<std::string_view> values(properties.size());
  const int value_count = static_cast<int>(properties.size());
  while (statement.step()) {
    for (int column = 0; column < value_count; ++column)
      values[static_cast<std::size_t>(column)] = statement.text(column + 1);
    fn(statement.integer(0), values);
  }
}

template <typename Interface>
void BasicReader<Interface>::scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn)
{
  auto statement =
      database().prepare("SELECT hs_object_id FROM recycle_bin WHERE object_type = ?1 ORDER BY hs_object_id");
  statement.bind(1, type.name);
  while (statement.step())
    fn(statement.integer(0));
}

template <typename Interface> std::vector<Workflow> BasicReader<Interface>::workflows()
{
  std::vector<Workflow> workflows;
  auto statement = database().prepare(
      "SELECT id, name, object_type_id, trigger_properties, allows_reenrollment, is_enabled FROM workflows "
      "ORDER BY id");
  while (statement.step()) {
    Workflow workflow;
    workflow.id = statement.integer(0);
    workflow.name = statement.text(1);
    workflow.object_type_id = statement.text(2);
    workflow.trigger_properties = parse_string_list(statement.text(3));
    workflow.allows_reenrollment = statement.integer(4) != 0;
    workflow.is_enabled = statement.integer(5) != 0;
    workflows.push_back(std::move(workflow));
  }
  return workflows;
}

namespace {
constexpr std::string_view k_user_columns = "SELECT name, is_super_admin, uses_sso FROM users";

User user_from_row(const sql::Statement& statement)
{
  return User{std::string(statement.text(0)), statement.integer(1) != 0, statement.integer(2) != 0};
}
}  // namespace

template <typename Interface> std::vector<User> BasicReader<Interface>::users()
{
  std::vector<User> users;
  auto statement = database().prepare(fmt::format("{} ORDER BY name", k_user_columns));
  while (statement.step())
    users.push_back(user_from_row(statement));
  return users;
}

template class BasicReader<Reader>;
template class BasicReader<Writer>;

}  // namespace crm::store::sqlite
