#pragma once
// The CRM's data model as every store backend presents it (SPEC §4). Values
// are strings exactly as HubSpot represents them: multi-select values joined
// with ';', booleans "true"/"false", dates YYYY-MM-DD, datetimes ISO 8601 UTC,
// numbers as decimal text. The empty string means "no value".

#include <crm/base/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::store {

using RecordId = std::int64_t;  // hs_object_id

enum class PlanTier { starter, professional, enterprise };
enum class PropertyType { string, number, date, datetime, enumeration, boolean, phone_number };
enum class Sensitivity { non_sensitive, sensitive, highly_sensitive };

// Text forms as stored and as written in manifests: "starter", "bool",
// "highly_sensitive", ... The parse functions throw Error(data) on unknown text.
std::string_view to_string(PlanTier tier);
std::string_view to_string(PropertyType type);
std::string_view to_string(Sensitivity sensitivity);
PlanTier parse_plan_tier(std::string_view text);
PropertyType parse_property_type(std::string_view text);
Sensitivity parse_sensitivity(std::string_view text);

struct Property {
  std::string name;   // internal name: [a-z][a-z0-9_]*
  std::string label;  // what the CRM's screens show
  PropertyType type = PropertyType::string;
  std::vector<std::string> options;  // allowed values of an enumeration
  bool is_read_only = false;         // read-only or calculated: never restored
  Sensitivity sensitivity = Sensitivity::non_sensitive;

  bool is_sensitive() const { return sensitivity != Sensitivity::non_sensitive; }
};

struct ObjectType {
  std::string name;                  // "contacts", "pets": the archive holds <name>.csv
  std::string object_type_id;        // "0-1" contacts, "0-2" companies, ..., "2-<n>" custom
  std::string singular;              // "Contact", "Pet": names the restore import
  bool is_restorable = true;         // conversations cannot be restored
  std::vector<Property> properties;  // definition order; hs_object_id is not listed

  const Property* find_property(std::string_view property_name) const;
};

struct Account {
  std::string id;  // the HubSpot portal id
  std::string name;
  // Tells stores apart: the embedded store's random id made at its creation,
  // a HubSpot portal's id. Plans, the restore lock and the journal's 2FA
  // state are keyed by it.
  std::string store_id;
  PlanTier tier = PlanTier::starter;
  // The plan's limits on backups (how often; schedules on enterprise only:
  // SPEC §1) belong to the hosted product's backup screen, which the
  // embedded store models. Through HubSpot's API the tool is bound by the
  // API's rate limits instead (docs/decisions.md).
  bool has_backup_plan_limits = true;
};

struct User {
  std::string name;
  bool is_super_admin = false;
  bool uses_sso = false;  // signs in with SSO: no 2FA re-authentication
};

struct Workflow {
  std::int64_t id = 0;
  std::string name;
  std::string object_type_id;
  std::vector<std::string> trigger_properties;
  bool allows_reenrollment = false;
  bool is_enabled = true;
};

struct Import {
  std::int64_t id = 0;
  std::string name;  // "Data Restore - Deal"
  std::string object_type_id;
  std::string state = "completed";
  std::string user;
  UnixTime created_at = 0;
  std::int64_t records_updated = 0;
  std::int64_t values_set = 0;
  std::int64_t values_cleared = 0;
  std::string details_json;  // backup id, properties, plan hash, undo file
};

struct AuditEntry {
  UnixTime at = 0;
  std::string user;
  std::string action;  // "backup.create", "restore.apply", ...
  std::string details_json;
};

struct Notification {
  UnixTime at = 0;
  std::string user;
  std::string kind;  // "backup.ready", "backup.failed", "restore.done"
  std::string message;
};

}  // namespace crm::store
