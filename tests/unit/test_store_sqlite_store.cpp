#include "support/update_record.hpp"

#include <crm/base/error.hpp>
#include <crm/sql/database.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/sqlite/schema.hpp>
#include <crm/store/store.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>

using crm::Error;
using crm::ErrorKind;
namespace store = crm::store;
namespace sqlite = crm::store::sqlite;

namespace {

store::Property property(std::string name, store::PropertyType type = store::PropertyType::string)
{
  store::Property made;
  made.name = std::move(name);
  made.label = made.name;
  made.type = type;
  return made;
}

// A store with one object type "things" (0-1) holding a property of every type.
std::filesystem::path make_store(const crm::test::TempDir& dir)
{
  const auto path = dir / "store.sqlite";
  sqlite::create_store(path, store::Account{"123", "Test Co", "", store::PlanTier::professional});
  sqlite::Admin admin(path);
  store::ObjectType things{"things", "0-1", "Thing", true, {}};
  things.properties = {property("name"),
                       property("amount", store::PropertyType::number),
                       property("due", store::PropertyType::date),
                       property("seen_at", store::PropertyType::datetime),
                       property("colors", store::PropertyType::enumeration),
                       property("is_done", store::PropertyType::boolean),
                       property("phone", store::PropertyType::phone_number)};
  things.properties[4].options = {"red", "green", "blue"};
  things.properties[6].sensitivity = store::Sensitivity::highly_sensitive;
  admin.add_object_type(things);
  admin.add_object_type(store::ObjectType{"pets", "2-1", "Pet", true, {property("pet_name")}});
  admin.add_object_type(
      store::ObjectType{"conversations", "conversations", "Conversation", false, {property("subject")}});
  admin.add_object_type(store::ObjectType{"deals", "0-3", "Deal", true, {property("dealstage")}});
  admin.add_user(store::User{"admin", true, false}, "JBSWY3DPEHPK3PXP");
  return path;
}

void insert(const std::filesystem::path& path, std::string_view object, std::vector<std::string> properties,
            std::vector<std::pair<store::RecordId, std::vector<std::string_view>>> rows)
{
  sqlite::Admin admin(path);
  sqlite::RecordInserter inserter(admin, object, properties);
  for (const auto& [id, values] : rows)
    inserter.insert(id, values);
  inserter.commit();
}

std::vector<std::pair<store::RecordId, std::vector<std::string>>> scan(store::Reader& reader, std::string_view object,
                                                                       std::vector<std::string> properties)
{
  std::vector<std::pair<store::RecordId, std::vector<std::string>>> rows;
  reader.scan_records(*reader.find_object_type(object), properties,
                      [&](store::RecordId id, std::span<const std::string_view> values) {
                        rows.emplace_back(id, std::vector<std::string>(values.begin(), values.end()));
                      });
  return rows;
}

std::string file_bytes(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::set<std::string> listing(const std::filesystem::path& directory)
{
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.insert(entry.path().filename().string());
  return names;
}

ErrorKind kind_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const Error& error) {
    return error.kind();
  }
  FAIL("no crm::Error thrown");
  return ErrorKind::internal;
}

}  // namespace

TEST_CASE("store: a created store is private and holds its account with a random store id", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  const auto other = dir / "other.sqlite";
  sqlite::create_store(other, store::Account{"123", "Test Co", "", store::PlanTier::professional});
  const auto account = store::open_store((path).string(), store::Access::read_only)->read()->account();
  CHECK(account.id == "123");
  CHECK(account.name == "Test Co");
  CHECK(account.tier == store::PlanTier::professional);
  CHECK(account.store_id.size() == 32);
  CHECK(account.store_id != store::open_store((other).string(), store::Access::read_only)->read()->account().store_id);
}

TEST_CASE("store: creating over an existing file is refused with cannot_create", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  const auto before = file_bytes(path);
  CHECK(kind_of([&] { sqlite::create_store(path, store::Account{}); }) == ErrorKind::cannot_create);
  CHECK(file_bytes(path) == before);
  CHECK(kind_of([&] { sqlite::create_store(dir / "missing" / "s.sqlite", store::Account{}); }) ==
        ErrorKind::cannot_create);
}

TEST_CASE("store: a missing store is not_found, and nothing is created", "[store]")
{
  crm::test::TempDir dir;
  CHECK(kind_of([&] { store::open_store((dir / "none.sqlite").string(), store::Access::read_only); }) ==
        ErrorKind::not_found);
  CHECK(kind_of([&] { store::open_store((dir / "none.sqlite").string(), store::Access::read_write); }) ==
        ErrorKind::not_found);
  CHECK(listing(dir.path()).empty());
}

TEST_CASE("store: a file that is not SQLite, or SQLite but not a store, is data", "[store]")
{
  crm::test::TempDir dir;
  std::ofstream(dir / "text.sqlite") << "hello, I am not a database, not at all, really not\n";
  CHECK(kind_of([&] { store::open_store((dir / "text.sqlite").string(), store::Access::read_only); }) ==
        ErrorKind::data);
  {
    crm::sql::Database other(dir / "other.sqlite", crm::sql::OpenMode::create, "test");
    other.exec("CREATE TABLE t (x)");
  }
  CHECK(kind_of([&] { store::open_store((dir / "other.sqlite").string(), store::Access::read_only); }) ==
        ErrorKind::data);
  CHECK(kind_of([&] { store::open_store((dir / "other.sqlite").string(), store::Access::read_write); }) ==
        ErrorKind::data);
}

TEST_CASE("store: a newer schema version is refused as config with the versions named", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  {
    crm::sql::Database database(path, crm::sql::OpenMode::read_write, "test");
    database.set_user_version(sqlite::current_schema_version() + 1);
  }
  try {
    store::open_store((path).string(), store::Access::read_only);
    FAIL("a newer store was opened");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::config);
    CHECK(std::string(error.what()) == "store schema version " + std::to_string(sqlite::current_schema_version() + 1) +
                                           " is newer than this tool understands (" +
                                           std::to_string(sqlite::current_schema_version()) + ")");
    CHECK(error.hint() == "upgrade crm-backup");
  }
}

TEST_CASE("store: migrate runs the missing migrations once and records the version", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  static int runs = 0;
  runs = 0;
  std::vector<sqlite::Migration> with_version_2(sqlite::migrations().begin(), sqlite::migrations().end());
  with_version_2.push_back([](crm::sql::Database& database) {
    ++runs;
    database.exec("CREATE TABLE added_in_version_2 (x)");
  });
  crm::sql::Database database(path, crm::sql::OpenMode::read_write, "test");
  CHECK(database.user_version() == 1);
  sqlite::migrate(database, with_version_2);
  sqlite::migrate(database, with_version_2);
  CHECK(runs == 1);
  CHECK(database.user_version() == 2);
  database.exec("SELECT x FROM added_in_version_2");
}

TEST_CASE("store: values of every type round-trip exactly, empty and NULL read as empty", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  const std::vector<std::string> names{"name", "amount", "due", "seen_at", "colors", "is_done", "phone"};
  const std::vector<std::string_view> tricky{"Zoë, \"東京\" 🎉\r\nline two\nthree",
                                             "-1234567.891",
                                             "2024-02-29",
                                             "2024-02-29T23:59:59.999Z",
                                             "red;blue",
                                             "true",
                                             "+81 3-5555-0101"};
  insert(path, "things", names, {{7, tricky}, {3, {"", "", "", "", "", "false", ""}}});
  auto reader = store::open_store((path).string(), store::Access::read_only)->read();
  const auto rows = scan(*reader, "things", names);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].first == 3);
  CHECK(rows[0].second == std::vector<std::string>{"", "", "", "", "", "false", ""});
  CHECK(rows[1].first == 7);
  CHECK(rows[1].second == std::vector<std::string>(tricky.begin(), tricky.end()));
  const auto type = *reader->find_object_type("0-1");
  CHECK(type.name == "things");
  CHECK(type.find_property("colors")->options == std::vector<std::string>{"red", "green", "blue"});
  CHECK(type.find_property("phone")->sensitivity == store::Sensitivity::highly_sensitive);
  CHECK(type.find_property("is_done")->type == store::PropertyType::boolean);
}

TEST_CASE("store: records are scanned in hs_object_id order with the properties asked for", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{30, {"c"}}, {10, {"a"}}, {20, {"b"}}});
  auto reader = store::open_store((path).string(), store::Access::read_only)->read();
  const auto rows = scan(*reader, "deals", {"dealstage"});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::pair<store::RecordId, std::vector<std::string>>{10, {"a"}});
  CHECK(rows[2] == std::pair<store::RecordId, std::vector<std::string>>{30, {"c"}});
  CHECK(reader->count_records(*reader->find_object_type("deals")) == 3);
  CHECK(kind_of([&] { scan(*reader, "deals", {"no_such_property"}); }) == ErrorKind::data);
}

TEST_CASE("store: object types list standard ones in objectTypeId order, then others, then custom", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  std::vector<std::string> names;
  for (const auto& type : store::open_store((path).string(), store::Access::read_only)->read()->object_types())
    names.push_back(type.name);
  CHECK(names == std::vector<std::string>{"things", "deals", "conversations", "pets"});
}

TEST_CASE("store: a property added at any time is readable at once, empty on old records", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "pets", {"pet_name"}, {{1, {"Rex"}}});
  sqlite::Admin(path).add_property("pets", property("tricks", store::PropertyType::enumeration));
  insert(path, "pets", {"pet_name", "tricks"}, {{2, {"Tom", "sit;fetch"}}});
  auto reader = store::open_store((path).string(), store::Access::read_only)->read();
  CHECK(reader->find_object_type("pets")->properties.back().name == "tricks");
  const auto rows = scan(*reader, "pets", {"tricks", "pet_name"});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].second == std::vector<std::string>{"", "Rex"});
  CHECK(rows[1].second == std::vector<std::string>{"sit;fetch", "Tom"});
}

TEST_CASE("store: invalid or duplicate property names are refused before any SQL", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  sqlite::Admin admin(path);
  for (const char* bad : {"Name", "1st", "a b", "x\"; DROP TABLE users; --", ""})
    CHECK(kind_of([&] { admin.add_property("pets", property(bad)); }) == ErrorKind::data);
  CHECK(kind_of([&] { admin.add_property("pets", property(std::string(101, 'a'))); }) == ErrorKind::data);
  admin.add_property("pets", property(std::string(100, 'a')));
  CHECK(kind_of([&] { admin.add_property("pets", property("pet_name")); }) == ErrorKind::data);
  CHECK(kind_of([&] { admin.add_property("pets", property("hs_object_id")); }) == ErrorKind::data);
}

TEST_CASE("store: a Reader sees one instant while another connection writes", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{1, {"open"}}});
  auto opened = store::open_store((path).string(), store::Access::read_write);
  auto reader = opened->read();
  {
    auto writer = opened->write();
    const std::string properties[] = {"dealstage"};
    const std::string values[] = {"closedlost"};
    crm::test::update_record(*writer, *writer->find_object_type("deals"), 1, properties, values);
    writer->commit();
  }
  insert(path, "deals", {"dealstage"}, {{2, {"new"}}});
  CHECK(scan(*reader, "deals", {"dealstage"}) ==
        std::vector<std::pair<store::RecordId, std::vector<std::string>>>{{1, {"open"}}});
  auto later = opened->read();
  CHECK(scan(*later, "deals", {"dealstage"}) ==
        std::vector<std::pair<store::RecordId, std::vector<std::string>>>{{1, {"closedlost"}}, {2, {"new"}}});
}

TEST_CASE("store: a Writer's changes are invisible before commit and gone when it is dropped", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{1, {"open"}}});
  auto opened = store::open_store((path).string(), store::Access::read_write);
  const std::string properties[] = {"dealstage"};
  const std::string values[] = {""};
  {
    auto writer = opened->write();
    const auto deals = *writer->find_object_type("deals");
    crm::test::update_record(*writer, deals, 1, properties, values);
    CHECK(scan(*opened->read(), "deals", {"dealstage"})[0].second[0] == "open");
    CHECK(kind_of([&] { crm::test::update_record(*writer, deals, 99, properties, values); }) == ErrorKind::not_found);
  }
  CHECK(scan(*opened->read(), "deals", {"dealstage"})[0].second[0] == "open");
}

TEST_CASE("store: a second writer fails with temp_fail while the first holds the store", "[store][slow]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  auto opened = store::open_store((path).string(), store::Access::read_write);
  auto first = opened->write();
  CHECK(kind_of([&] { opened->write(); }) == ErrorKind::temp_fail);
}

TEST_CASE("store: deleted records move to the recycle bin with their values", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{1, {"open"}}, {2, {"won"}}, {3, {"lost"}}});
  sqlite::Admin admin(path);
  admin.delete_record("deals", 3, 1000);
  admin.delete_record("deals", 1, 1000);
  CHECK(kind_of([&] { admin.delete_record("deals", 1, 1000); }) == ErrorKind::not_found);
  auto reader = store::open_store((path).string(), store::Access::read_only)->read();
  std::vector<store::RecordId> deleted;
  reader->scan_deleted(*reader->find_object_type("deals"), [&](store::RecordId id) { deleted.push_back(id); });
  CHECK(deleted == std::vector<store::RecordId>{1, 3});
  CHECK(scan(*reader, "deals", {"dealstage"}) ==
        std::vector<std::pair<store::RecordId, std::vector<std::string>>>{{2, {"won"}}});
  crm::sql::Database database(path, crm::sql::OpenMode::read_only, "test");
  auto values = database.prepare("SELECT \"values\" FROM recycle_bin WHERE hs_object_id = 3");
  REQUIRE(values.step());
  CHECK(values.text(0) == R"({"dealstage":"lost"})");
}

TEST_CASE("store: the embedded store knows its users' second factor and gives every guarantee", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  auto opened = store::open_store(path.string(), store::Access::read_only);
  const auto guarantees = opened->guarantees();
  CHECK(guarantees.is_consistent_snapshot);
  CHECK(guarantees.is_atomic_apply);
  CHECK(guarantees.knows_second_factor);
  CHECK(opened->second_factor_secret("admin") == "JBSWY3DPEHPK3PXP");
  CHECK(opened->second_factor_secret("nobody").empty());
}

TEST_CASE("store: update_records reports a missing record instead of failing the batch", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{1, {"open"}}, {2, {"won"}}});
  auto opened = store::open_store(path.string(), store::Access::read_write);
  auto writer = opened->write();
  const auto deals = *writer->find_object_type("deals");
  const std::vector<store::RecordUpdate> batch = {
      {1, {"dealstage"}, {"lost"}}, {9, {"dealstage"}, {"x"}}, {2, {"dealstage"}, {""}}};
  const auto outcomes = writer->update_records(deals, batch);
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].status == store::UpdateStatus::applied);
  CHECK(outcomes[1].status == store::UpdateStatus::not_found);
  CHECK(outcomes[1].id == 9);
  CHECK(outcomes[2].status == store::UpdateStatus::applied);
  writer->commit();
  CHECK(scan(*opened->read(), "deals", {"dealstage"}) ==
        std::vector<std::pair<store::RecordId, std::vector<std::string>>>{{1, {"lost"}}, {2, {""}}});
}

TEST_CASE("store: a locator with a scheme this build has no backend for is a configuration error", "[store]")
{
  CHECK(kind_of([&] { store::open_store("salesforce:", store::Access::read_only); }) == ErrorKind::config);
  CHECK(kind_of([&] { store::open_store("", store::Access::read_only); }) == ErrorKind::usage);
}

TEST_CASE("store: a notification reaches the CRM's screen through its own short write", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  auto opened = store::open_store(path.string(), store::Access::read_only);
  CHECK(opened->notify_in_crm(store::Notification{70, "admin", "backup.ready", "ready"}));
  crm::sql::Database database(path, crm::sql::OpenMode::read_only, "test");
  auto kinds = database.prepare("SELECT kind FROM notifications");
  REQUIRE(kinds.step());
  CHECK(kinds.text(0) == "backup.ready");
}

TEST_CASE("store: imports, audit entries, notifications and enrollments are recorded", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  const auto workflow = sqlite::Admin(path).add_workflow(store::Workflow{0, "w", "0-3", {"dealstage"}, true, true});
  auto opened = store::open_store((path).string(), store::Access::read_write);
  {
    auto writer = opened->write();
    store::CrmActivity* activity = writer->activity();
    REQUIRE(activity != nullptr);
    store::Import import;
    import.name = "Data Restore - Deal";
    import.object_type_id = "0-3";
    import.user = "admin";
    import.created_at = 50;
    import.values_set = 3;
    CHECK(activity->add_import(import) > 0);
    activity->add_audit(store::AuditEntry{60, "admin", "restore.apply", R"({"a":1})"});
    activity->add_notification(store::Notification{70, "admin", "restore.done", "done"});
    activity->enroll(workflow, 5, 80);
    writer->commit();
  }
  crm::sql::Database database(path, crm::sql::OpenMode::read_only, "test");
  auto imports = database.prepare("SELECT name, values_set FROM imports");
  REQUIRE(imports.step());
  CHECK(imports.text(0) == "Data Restore - Deal");
  CHECK(imports.integer(1) == 3);
  auto audit = database.prepare("SELECT details_json FROM audit_log");
  REQUIRE(audit.step());
  CHECK(audit.text(0) == R"({"a":1})");
  auto notifications = database.prepare("SELECT kind FROM notifications");
  REQUIRE(notifications.step());
  CHECK(notifications.text(0) == "restore.done");
  auto enrollments = database.prepare("SELECT hs_object_id FROM workflow_enrollments");
  REQUIRE(enrollments.step());
  CHECK(enrollments.integer(0) == 5);
  auto reader = opened->read();
  const auto workflows = reader->workflows();
  REQUIRE(workflows.size() == 1);
  CHECK(workflows[0].trigger_properties == std::vector<std::string>{"dealstage"});
  CHECK(workflows[0].allows_reenrollment);
}

TEST_CASE("store: opening read-only writes nothing and leaves no -wal or -shm behind", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  insert(path, "deals", {"dealstage"}, {{1, {"open"}}});
  const auto bytes = file_bytes(path);
  const auto names = listing(dir.path());
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  {
    auto opened = store::open_store((path).string(), store::Access::read_only);
    auto first = opened->read();
    auto second = opened->read();
    CHECK(scan(*first, "deals", {"dealstage"}).size() == 1);
    CHECK(scan(*second, "deals", {"dealstage"}).size() == 1);
  }
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(file_bytes(path) == bytes);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(listing(dir.path()) == names);
}

TEST_CASE("store: a read-only reader keeps the companions a live writer needs", "[store]")
{
  crm::test::TempDir dir;
  const auto path = make_store(dir);
  crm::sql::Database writer(path, crm::sql::OpenMode::read_write, "test");
  writer.exec("INSERT INTO users (name) VALUES ('late')");
  {
    auto reader = store::open_store((path).string(), store::Access::read_only)->read();
    CHECK(reader->find_user("late"));
  }
  CHECK(std::filesystem::exists(path.string() + "-wal"));
  writer.exec("INSERT INTO users (name) VALUES ('later')");
  CHECK(store::open_store((path).string(), store::Access::read_only)->read()->find_user("later"));
}
