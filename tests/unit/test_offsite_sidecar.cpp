#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/offsite/sidecar.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace crm::offsite;

namespace {

Sidecar example()
{
  Sidecar sidecar;
  auto& record = sidecar.record;
  record.id = "20260125T020000Z-3f9a";
  record.created_at = crm::parse_iso8601("2026-01-25T02:00:00Z");
  record.archive_name = "crm-backup-20260125T020000Z-3f9a.zip";
  record.size_bytes = 12345;
  record.sha256 = std::string(64, 'a');
  record.account_id = "acct-1";
  record.user = "admin";
  record.note = "before the clean-up";
  record.is_encrypted = false;
  record.is_sensitive_excluded = true;
  record.format_version = 1;
  record.objects = {{"deals", 300}, {"contacts", 2000}};  // backup order survives the trip
  sidecar.manifest_json = R"({"format_version":1})";
  return sidecar;
}

bool is_data_error(const crm::Error& error) { return error.kind() == crm::ErrorKind::data; }

}  // namespace

TEST_CASE("offsite sidecar round-trips the catalog row, hash, size and manifest", "[offsite]")
{
  const Sidecar original = example();
  const Sidecar parsed = parse_sidecar(to_json(original));
  CHECK(parsed.record.id == original.record.id);
  CHECK(parsed.record.created_at == original.record.created_at);
  CHECK(parsed.record.archive_name == original.record.archive_name);
  CHECK(parsed.record.size_bytes == 12345);
  CHECK(parsed.record.sha256 == original.record.sha256);
  CHECK(parsed.record.note == "before the clean-up");
  CHECK(parsed.record.is_sensitive_excluded);
  CHECK(parsed.record.objects == original.record.objects);
  CHECK(nlohmann::json::parse(parsed.manifest_json) == nlohmann::json::parse(original.manifest_json));
}

TEST_CASE("offsite sidecar of an encrypted backup holds no manifest", "[offsite]")
{
  Sidecar sidecar = example();
  sidecar.record.is_encrypted = true;
  sidecar.manifest_json.clear();
  const auto json = nlohmann::json::parse(to_json(sidecar));
  CHECK(json["manifest"].is_null());
  CHECK(parse_sidecar(to_json(sidecar)).manifest_json.empty());
}

TEST_CASE("offsite sidecar from a remote is read distrustfully", "[offsite]")
{
  auto with = [](const char* key, nlohmann::json value) {
    auto json = nlohmann::json::parse(to_json(example()));
    json[key] = std::move(value);
    return json.dump();
  };
  const auto data_error = Catch::Predicate<crm::Error>(is_data_error, "a data error");
  CHECK_THROWS_MATCHES(parse_sidecar("not json"), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("id", "../../etc")), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("archive_name", "../catalog.sqlite")), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("sha256", "xyz")), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("size_bytes", -1)), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("size_bytes", "12")), crm::Error, data_error);
  CHECK_THROWS_MATCHES(parse_sidecar(with("sidecar_version", 99)), crm::Error, data_error);
}
