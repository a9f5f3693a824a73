"""The fake HubSpot account's data: object types, property definitions,
records, users, workflows and conversation threads.

Records are never materialised. A value is a pure function of the object
type's seed, the record id and the property name, so 100,000 contacts with
300 extra properties cost no more memory than ten. Only records changed
through the API or the admin endpoints are stored, as overrides.

Record ids ascend with gaps: the k-th slot's id is FIRST_ID + STRIDE*k plus a
jitter smaller than STRIDE, so an id maps back to its slot in O(1). A few
slots, spread evenly, hold archived (deleted) records.

Standard library only.
"""
import dataclasses
import datetime
import functools
import json
import threading

MASK64 = (1 << 64) - 1
FIRST_ID = 1001
STRIDE = 4
CREATED_FROM_MS = 1577836800000      # 2020-01-01T00:00:00Z
GENERATED_UNTIL_MS = 1767225600000   # 2026-01-01T00:00:00Z: every generated time lies before it


def mix64(value: int) -> int:
    """splitmix64's finaliser: a cheap, well-spread 64-bit hash."""
    value &= MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def name_salt(name: str) -> int:
    salt = 0xCBF29CE484222325
    for byte in name.encode():
        salt = ((salt ^ byte) * 0x100000001B3) & MASK64
    return salt


def iso_ms(epoch_ms: int) -> str:
    """HubSpot's datetime text: ISO 8601 UTC with milliseconds."""
    moment = datetime.datetime.fromtimestamp(epoch_ms / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def parse_time_ms(text) -> int:
    """Epoch milliseconds from a number, digits, or ISO 8601 text."""
    if isinstance(text, (int, float)):
        return int(text)
    text = str(text).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp() * 1000)


class RawJson(str):
    """JSON text already encoded; the server sends it as it is."""


@functools.lru_cache(maxsize=4096)
def _cached_json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def json_text(value) -> str:
    """A value as JSON text. Generated values come from small pools, so
    their encodings are cached; anything else is encoded afresh."""
    if value is None:
        return "null"
    if len(value) <= 64:
        return _cached_json(value)
    return json.dumps(value, ensure_ascii=False)


# Generators whose text never holds a quote, a backslash or a control
# character, so it goes into JSON between quotes as it is.
PLAIN_GENERATORS = {"email", "domain", "phone", "sku", "enum", "multi", "bool", "calc_bool", "date",
                    "datetime", "number", "calc", "sensitive", "object_id", "created", "modified"}


# Values chosen to break naive CSV, JSON and shell handling: commas, quotes,
# CR and LF, leading and trailing spaces, non-ASCII text.
TEXT_POOL = (
    "Plain note", "Smith, Jr.", 'He said "hi"', "two\r\nlines", "line one\nline two",
    "  both sides  ", " leading space", "trailing space ", "Grüße aus Köln", "naïve café",
    "日本語のテキスト", "emoji 🎉 party", "semi;colon", "tab\tinside", "=1+2",
    'comma, "quote" and\nnewline', 'Ünïcödé, "mixed"\r\n', "O'Brien & Co.",
)
TEXT_POOL_JSON = tuple(json.dumps(text, ensure_ascii=False) for text in TEXT_POOL)
FIRST_NAMES = ("Anna", "José", "Zoë", " Liam", "Mia ", "Noah", "Åsa", "Björn", "Chloé", "Ōta",
               "Olivia", "D'Arcy", "Jean-Luc", "Siobhán", "Ali", "Emma")
LAST_NAMES = ("Smith", "Müller", "García, Jr.", 'O"Neil', "Nguyễn", "李", "Van der Berg",
              "Johnson", " Brown ", "Østergaard", "Kowalski", "Dubois")
COMPANY_NAMES = ("Acme, Inc.", 'The "Best" Co.', "Müller GmbH", "北京贸易", "  Spaced Ltd  ",
                 "Line\nBreak LLC", "Smith & Sons", "Café Olé", "Globex", "Initech")
CONDITIONS = ("Asthma", "Diabetes, type 2", "None reported", "Allergy: \"peanuts\"", "Hypertension")


def _options(*values):
    return tuple((value.replace("_", " ").title(), value) for value in values)


@dataclasses.dataclass
class PropertyDef:
    name: str
    label: str
    type: str                 # string|number|date|datetime|enumeration|bool|phone_number
    field_type: str
    gen: str                  # value generator, see Dataset._generate
    group: str = "information"
    options: tuple = ()
    read_only: bool = False
    calculated: bool = False
    sensitivity: str = "non_sensitive"
    hubspot_defined: bool = True
    display_order: int = 0
    salt: int = 0
    key_json: str = ""        # '"name":', ready to prefix the value's JSON

    def to_json(self) -> dict:
        """The property as GET /crm/v3/properties/{objectType} returns it."""
        return {
            "updatedAt": "2025-06-01T10:00:00.000Z",
            "createdAt": "2020-01-01T00:00:00.000Z",
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "description": "",
            "groupName": self.group,
            "options": [{"label": label, "value": value, "displayOrder": order, "hidden": False}
                        for order, (label, value) in enumerate(self.options)],
            "displayOrder": self.display_order,
            "calculated": self.calculated,
            "externalOptions": False,
            "hasUniqueValue": False,
            "hidden": False,
            "hubspotDefined": self.hubspot_defined,
            "modificationMetadata": {"archivable": not self.hubspot_defined,
                                     "readOnlyDefinition": self.hubspot_defined,
                                     "readOnlyValue": self.read_only or self.calculated},
            "formField": not (self.read_only or self.calculated),
            "dataSensitivity": self.sensitivity,
        }


def P(name, label, type_, field_type, gen, **flags) -> PropertyDef:
    return PropertyDef(name, label, type_, field_type, gen, **flags)


def _common_properties(lastmod: str) -> list:
    return [
        P("createdate", "Create Date", "datetime", "date", "created", read_only=True),
        P(lastmod, "Last Modified Date", "datetime", "date", "modified", read_only=True),
        P("hs_object_id", "Record ID", "number", "number", "object_id", read_only=True),
    ]


def _contact_properties() -> list:
    return [
        P("email", "Email", "string", "text", "email"),
        P("firstname", "First Name", "string", "text", "firstname"),
        P("lastname", "Last Name", "string", "text", "lastname"),
        P("phone", "Phone Number", "string", "phonenumber", "phone"),
        P("mobilephone", "Mobile Phone Number", "phone_number", "phonenumber", "phone"),
        P("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "enum",
          options=_options("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                           "opportunity", "customer", "evangelist", "other")),
        P("hs_lead_status", "Lead Status", "enumeration", "select", "enum",
          options=_options("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                           "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING")),
        P("hs_buying_role", "Buying Role", "enumeration", "checkbox", "multi",
          options=_options("BLOCKER", "BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER",
                           "END_USER", "EXECUTIVE_SPONSOR", "INFLUENCER", "OTHER")),
        P("marketing_opt_in", "Marketing Opt-in", "bool", "booleancheckbox", "bool",
          options=(("Yes", "true"), ("No", "false")), hubspot_defined=False),
        P("date_of_birth", "Date of Birth", "date", "date", "date"),
        P("annualrevenue", "Annual Revenue", "number", "number", "number"),
        P("notes_free_text", "Notes", "string", "textarea", "text", hubspot_defined=False),
        P("num_associated_deals", "Associated Deals", "number", "number", "calc",
          calculated=True, read_only=True),
        P("passport_number", "Passport Number", "string", "text", "sensitive",
          sensitivity="sensitive", hubspot_defined=False),
        P("medical_condition", "Medical Condition", "string", "text", "highly_sensitive",
          sensitivity="highly_sensitive", hubspot_defined=False),
    ] + _common_properties("lastmodifieddate")


def _company_properties() -> list:
    return [
        P("name", "Company Name", "string", "text", "company_name"),
        P("domain", "Company Domain Name", "string", "text", "domain"),
        P("industry", "Industry", "enumeration", "select", "enum",
          options=_options("ACCOUNTING", "AIRLINES_AVIATION", "BANKING", "COMPUTER_SOFTWARE",
                           "HOSPITAL_HEALTH_CARE", "RETAIL")),
        P("city", "City", "string", "text", "text"),
        P("phone", "Phone Number", "string", "phonenumber", "phone"),
        P("numberofemployees", "Number of Employees", "number", "number", "number"),
        P("is_public", "Is Public", "bool", "booleancheckbox", "bool",
          options=(("True", "true"), ("False", "false"))),
        P("founded_date", "Founded", "date", "date", "date", hubspot_defined=False),
        P("hs_industry_tags", "Industry Tags", "enumeration", "checkbox", "multi",
          options=_options("b2b", "b2c", "saas", "hardware", "services"), hubspot_defined=False),
        P("num_associated_contacts", "Associated Contacts", "number", "number", "calc",
          calculated=True, read_only=True),
        P("tax_id", "Tax ID", "string", "text", "sensitive", sensitivity="sensitive",
          hubspot_defined=False),
        P("bank_account", "Bank Account", "string", "text", "highly_sensitive",
          sensitivity="highly_sensitive", hubspot_defined=False),
    ] + _common_properties("hs_lastmodifieddate")


def _deal_properties() -> list:
    return [
        P("dealname", "Deal Name", "string", "text", "company_name"),
        P("amount", "Amount", "number", "number", "number"),
        P("dealstage", "Deal Stage", "enumeration", "radio", "enum",
          options=_options("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
                           "decisionmakerboughtin", "contractsent", "closedwon", "closedlost")),
        P("pipeline", "Pipeline", "enumeration", "select", "enum", options=_options("default")),
        P("closedate", "Close Date", "datetime", "date", "datetime"),
        P("deal_tags", "Deal Tags", "enumeration", "checkbox", "multi",
          options=_options("renewal", "upsell", "new_business", "partner"), hubspot_defined=False),
        P("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", "calc_bool",
          options=(("True", "true"), ("False", "false")), calculated=True, read_only=True),
        P("contract_terms", "Contract Terms", "string", "textarea", "sensitive",
          sensitivity="sensitive", hubspot_defined=False),
        P("payment_card", "Payment Card", "string", "text", "highly_sensitive",
          sensitivity="highly_sensitive", hubspot_defined=False),
    ] + _common_properties("hs_lastmodifieddate")


def _ticket_properties() -> list:
    return [
        P("subject", "Ticket name", "string", "text", "text"),
        P("content", "Ticket description", "string", "textarea", "text"),
        P("hs_pipeline", "Pipeline", "enumeration", "select", "enum", options=_options("0")),
        P("hs_pipeline_stage", "Ticket status", "enumeration", "select", "enum",
          options=_options("1", "2", "3", "4")),
        P("hs_ticket_priority", "Priority", "enumeration", "select", "enum",
          options=_options("LOW", "MEDIUM", "HIGH", "URGENT")),
        P("patient_notes", "Patient Notes", "string", "textarea", "sensitive",
          sensitivity="sensitive", hubspot_defined=False),
        P("diagnosis", "Diagnosis", "string", "text", "highly_sensitive",
          sensitivity="highly_sensitive", hubspot_defined=False),
    ] + _common_properties("hs_lastmodifieddate")


def _product_properties() -> list:
    return [
        P("name", "Name", "string", "text", "company_name"),
        P("price", "Unit price", "number", "number", "number"),
        P("hs_sku", "SKU", "string", "text", "sku"),
        P("description", "Description", "string", "textarea", "text"),
        P("recurringbillingfrequency", "Billing frequency", "enumeration", "select", "enum",
          options=_options("monthly", "quarterly", "annually")),
    ] + _common_properties("hs_lastmodifieddate")


def _task_properties() -> list:
    return [
        P("hs_task_subject", "Task Title", "string", "text", "text"),
        P("hs_task_body", "Notes", "string", "html", "text"),
        P("hs_task_status", "Task Status", "enumeration", "select", "enum",
          options=_options("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
        P("hs_task_priority", "Priority", "enumeration", "select", "enum",
          options=_options("NONE", "LOW", "MEDIUM", "HIGH")),
        P("hs_timestamp", "Due date", "datetime", "date", "datetime"),
    ] + _common_properties("hs_lastmodifieddate")


def _call_properties() -> list:
    return [
        P("hs_call_title", "Call Title", "string", "text", "text"),
        P("hs_call_body", "Call notes", "string", "html", "text"),
        P("hs_call_direction", "Call direction", "enumeration", "select", "enum",
          options=_options("INBOUND", "OUTBOUND")),
        P("hs_call_duration", "Call duration", "number", "number", "number"),
        P("hs_timestamp", "Activity date", "datetime", "date", "datetime"),
    ] + _common_properties("hs_lastmodifieddate")


def _custom_properties() -> list:
    return [
        P("name", "Name", "string", "text", "firstname", hubspot_defined=False),
        P("kind", "Kind", "enumeration", "select", "enum",
          options=_options("dog", "cat", "bird", "other"), hubspot_defined=False),
        P("age", "Age", "number", "number", "number", hubspot_defined=False),
        P("vaccinated", "Vaccinated", "bool", "booleancheckbox", "bool",
          options=(("Yes", "true"), ("No", "false")), hubspot_defined=False),
        P("description", "Description", "string", "textarea", "text", hubspot_defined=False),
    ] + _common_properties("hs_lastmodifieddate")


def extra_property_name(index: int) -> str:
    """A 49-character internal name: 300 of them with the standard ones run
    past 15,000 characters in one comma-separated query string."""
    return f"crm_backup_fixture_custom_text_property_num_{index:05d}"


@dataclasses.dataclass
class ObjectType:
    name: str                  # contacts, companies, ..., or the custom object's name
    type_id: str               # 0-1, 2-1001
    singular: str
    plural: str
    read_scopes: tuple         # any one of them grants read access
    write_scopes: tuple
    sensitive_scope: str       # prefix; ".read"/".write" appended
    highly_sensitive_scope: str
    lastmod: str
    default_properties: tuple
    properties: list
    seed: int = 1
    count: int = 0
    archived: int = 0
    custom: bool = False
    fully_qualified_name: str = ""
    props_by_name: dict = dataclasses.field(default_factory=dict)
    archived_slots: list = dataclasses.field(default_factory=list)

    @property
    def slots(self) -> int:
        return self.count + self.archived


STANDARD_TYPES = (
    # name, id, singular, read scopes, write scopes, sensitive prefix, highly prefix, lastmod, defaults, properties
    ("contacts", "0-1", "contact", ("crm.objects.contacts.read",), ("crm.objects.contacts.write",),
     "crm.objects.contacts.sensitive", "crm.objects.contacts.highly_sensitive", "lastmodifieddate",
     ("firstname", "lastname", "email"), _contact_properties),
    ("companies", "0-2", "company", ("crm.objects.companies.read",), ("crm.objects.companies.write",),
     "crm.objects.companies.sensitive", "crm.objects.companies.highly_sensitive",
     "hs_lastmodifieddate", ("name", "domain"), _company_properties),
    ("deals", "0-3", "deal", ("crm.objects.deals.read",), ("crm.objects.deals.write",),
     "crm.objects.deals.sensitive", "crm.objects.deals.highly_sensitive", "hs_lastmodifieddate",
     ("dealname", "amount", "dealstage", "pipeline", "closedate"), _deal_properties),
    ("tickets", "0-5", "ticket", ("tickets",), ("tickets",), "tickets.sensitive",
     "tickets.highly_sensitive", "hs_lastmodifieddate",
     ("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority"),
     _ticket_properties),
    ("products", "0-7", "product", ("e-commerce",), ("e-commerce",), "e-commerce.sensitive",
     "e-commerce.highly_sensitive", "hs_lastmodifieddate", ("name", "price", "description"),
     _product_properties),
    ("tasks", "0-27", "task", ("crm.objects.contacts.read",), ("crm.objects.contacts.write",),
     "crm.objects.contacts.sensitive", "crm.objects.contacts.highly_sensitive",
     "hs_lastmodifieddate", ("hs_task_subject", "hs_task_status", "hs_timestamp"), _task_properties),
    ("calls", "0-48", "call", ("crm.objects.contacts.read",), ("crm.objects.contacts.write",),
     "crm.objects.contacts.sensitive", "crm.objects.contacts.highly_sensitive",
     "hs_lastmodifieddate", ("hs_call_title", "hs_timestamp"), _call_properties),
)


def _finish(object_type: ObjectType, settings: dict) -> ObjectType:
    """Applies count/seed/archived/extra_properties and indexes the properties."""
    object_type.seed = int(settings.get("seed", 1))
    object_type.count = int(settings.get("count", 0))
    object_type.archived = int(settings.get("archived", 0))
    for index in range(int(settings.get("extra_properties", 0))):
        name = extra_property_name(index)
        object_type.properties.append(
            P(name, f"Fixture text {index}", "string", "text", "sparse_text",
              group="fixture", hubspot_defined=False))
    for order, prop in enumerate(object_type.properties):
        prop.display_order = order
        prop.salt = name_salt(prop.name)
        prop.key_json = json.dumps(prop.name) + ":"
        object_type.props_by_name[prop.name] = prop
    slots = object_type.slots
    object_type.archived_slots = sorted({int((j + 0.5) * slots / object_type.archived)
                                         for j in range(object_type.archived)})
    return object_type


def build_object_types(config: dict) -> list:
    """Every object type the account has, standard first, then custom."""
    objects = config.get("objects", {})
    missing = set(config.get("missing_objects", []))
    types = []
    for (name, type_id, singular, reads, writes, sensitive, highly, lastmod, defaults,
         make_properties) in STANDARD_TYPES:
        if name in missing or type_id in missing:
            continue
        object_type = ObjectType(name, type_id, singular, name, reads, writes, sensitive, highly,
                                 lastmod, defaults, make_properties())
        types.append(_finish(object_type, objects.get(name, objects.get(type_id, {}))))
    portal_id = int(config.get("portal_id", 123456))
    for custom in config.get("custom_objects", []):
        object_type = ObjectType(
            custom["name"], custom["objectTypeId"], custom.get("singular", custom["name"]),
            custom.get("plural", custom["name"]), ("crm.objects.custom.read",),
            ("crm.objects.custom.write",), "crm.objects.custom.sensitive",
            "crm.objects.custom.highly_sensitive", "hs_lastmodifieddate", ("name",),
            _custom_properties(), custom=True,
            fully_qualified_name=f"p{portal_id}_{custom['name']}")
        types.append(_finish(object_type, custom))
    return types


class Dataset:
    """Lazily generated records plus the overrides written since start.

    Thread-safe: the overrides are guarded by one lock."""

    def __init__(self, config: dict):
        self.types = build_object_types(config)
        self._by_alias = {}
        for object_type in self.types:
            aliases = [object_type.name, object_type.type_id]
            if object_type.custom:
                aliases += [f"p_{object_type.name}", object_type.fully_qualified_name]
            for alias in aliases:
                self._by_alias[alias.lower()] = object_type
        self._lock = threading.Lock()
        # type_id -> record id -> {"props": {name: value|None}, "modified_ms": int}
        self._overrides = {object_type.type_id: {} for object_type in self.types}

    def resolve(self, alias: str):
        return self._by_alias.get(alias.lower())

    # --- ids and slots -------------------------------------------------
    @staticmethod
    def id_of_slot(object_type: ObjectType, slot: int) -> int:
        return FIRST_ID + STRIDE * slot + mix64(object_type.seed * 1_000_003 + slot) % STRIDE

    def slot_of_id(self, object_type: ObjectType, record_id: int):
        """The slot holding `record_id`, or None when no record has that id."""
        slot = (record_id - FIRST_ID) // STRIDE
        if 0 <= slot < object_type.slots and self.id_of_slot(object_type, slot) == record_id:
            return slot
        return None

    def first_slot_from(self, object_type: ObjectType, record_id: int) -> int:
        """The first slot whose id is >= record_id."""
        slot = max(0, (record_id - FIRST_ID) // STRIDE)
        if slot < object_type.slots and self.id_of_slot(object_type, slot) < record_id:
            slot += 1
        return slot

    def is_archived_slot(self, object_type: ObjectType, slot: int) -> bool:
        slots = object_type.archived_slots
        return bool(slots) and _contains_sorted(slots, slot)

    def record_exists(self, object_type: ObjectType, record_id: int, archived=False) -> bool:
        slot = self.slot_of_id(object_type, record_id)
        return slot is not None and self.is_archived_slot(object_type, slot) == archived

    def ids_from(self, object_type: ObjectType, start_id: int, archived=False):
        """Ids >= start_id in ascending order, live ones or archived ones only."""
        if archived:
            for slot in object_type.archived_slots:
                record_id = self.id_of_slot(object_type, slot)
                if record_id >= start_id:
                    yield record_id
            return
        for slot in range(self.first_slot_from(object_type, start_id), object_type.slots):
            if not self.is_archived_slot(object_type, slot):
                yield self.id_of_slot(object_type, slot)

    def live_ids(self, object_type: ObjectType):
        return self.ids_from(object_type, 0)

    # --- values --------------------------------------------------------
    def created_ms(self, object_type: ObjectType, record_id: int) -> int:
        span = GENERATED_UNTIL_MS - CREATED_FROM_MS - 200 * 86400000
        return CREATED_FROM_MS + mix64(object_type.seed * 7919 + record_id) % span

    def modified_ms(self, object_type: ObjectType, record_id: int) -> int:
        override = self._overrides[object_type.type_id].get(record_id)
        if override is not None:
            return override["modified_ms"]
        created = self.created_ms(object_type, record_id)
        return created + mix64(object_type.seed * 104729 + record_id) % (GENERATED_UNTIL_MS - created)

    def value(self, object_type: ObjectType, record_id: int, prop: PropertyDef):
        """The property's current value as HubSpot text, or None."""
        override = self._overrides[object_type.type_id].get(record_id)
        if override is not None and prop.name in override["props"]:
            return override["props"][prop.name]
        return self._generate(object_type, record_id, prop, record_base(object_type, record_id))

    def _generate(self, object_type: ObjectType, record_id: int, prop: PropertyDef, base: int):
        gen = prop.gen
        if gen == "sparse_text":
            choice = sparse_choice(base, prop.salt)
            return None if choice < 0 else TEXT_POOL[choice]
        if gen == "modified":
            return iso_ms(self.modified_ms(object_type, record_id))
        h = mix64(base ^ prop.salt)
        if gen == "object_id":
            return str(record_id)
        if gen == "created":
            return iso_ms(self.created_ms(object_type, record_id))
        if h % 11 == 0 and gen not in ("email", "company_name"):
            return None                       # about one value in eleven is empty
        h >>= 4
        if gen == "text":
            return TEXT_POOL[h % len(TEXT_POOL)]
        if gen == "email":
            return f"{FIRST_NAMES[h % 7].strip().lower()}.{record_id}@example.com"
        if gen == "firstname":
            return FIRST_NAMES[h % len(FIRST_NAMES)]
        if gen == "lastname":
            return LAST_NAMES[h % len(LAST_NAMES)]
        if gen == "company_name":
            return COMPANY_NAMES[h % len(COMPANY_NAMES)]
        if gen == "domain":
            return f"company{record_id}.example.com"
        if gen == "phone":
            return f"+1 (555) {h % 1000:03d}-{(h >> 10) % 10000:04d}"
        if gen == "sku":
            return f"SKU-{record_id:07d}"
        if gen == "enum":
            return prop.options[h % len(prop.options)][1]
        if gen == "multi":
            chosen = [value for bit, (_, value) in enumerate(prop.options) if (h >> bit) & 1]
            return ";".join(chosen) or None
        if gen == "bool":
            return "true" if h & 1 else "false"
        if gen == "calc_bool":
            return "true" if h & 1 else "false"
        if gen == "date":
            return (datetime.date(1950, 1, 1) + datetime.timedelta(days=h % 20000)).isoformat()
        if gen == "datetime":
            return iso_ms(CREATED_FROM_MS + h % (GENERATED_UNTIL_MS - CREATED_FROM_MS))
        if gen == "number":
            return str(h % 1_000_000) if h & 1 else f"{h % 100000}.{(h >> 20) % 100:02d}"
        if gen == "calc":
            return str(h % 7)
        if gen == "sensitive":
            return f"P{h % 10**8:08d}"
        if gen == "highly_sensitive":
            return CONDITIONS[h % len(CONDITIONS)]
        raise ValueError(f"unknown generator {gen}")

    def record_text(self, object_type: ObjectType, record_id: int, prop_names, archived=False) -> RawJson:
        """A record in HubSpot's SimplePublicObject shape, with `prop_names`,
        as JSON text. Built by hand: a page of 100 wide records is the fake's
        hot path, and joining ready-made fragments is several times faster
        than building dicts for json.dumps."""
        override = self._overrides[object_type.type_id].get(record_id)
        changed = override["props"] if override is not None else {}
        base = record_base(object_type, record_id)
        by_name = object_type.props_by_name
        parts = []
        for name in prop_names:
            prop = by_name.get(name)
            if prop is None:
                continue
            if name in changed:
                value = json_text(changed[name])
            elif prop.gen == "sparse_text":
                choice = sparse_choice(base, prop.salt)
                value = "null" if choice < 0 else TEXT_POOL_JSON[choice]
            else:
                value = self._generate(object_type, record_id, prop, base)
                if value is None:
                    value = "null"
                else:
                    value = f'"{value}"' if prop.gen in PLAIN_GENERATORS else json_text(value)
            parts.append(prop.key_json + value)
        created = iso_ms(self.created_ms(object_type, record_id))
        updated = iso_ms(self.modified_ms(object_type, record_id))
        tail = f',"archivedAt":"{updated}"' if archived else ""
        return RawJson(f'{{"id":"{record_id}","properties":{{{",".join(parts)}}},"createdAt":"{created}",'
                       f'"updatedAt":"{updated}","archived":{"true" if archived else "false"}{tail}}}')

    def all_values(self, object_type: ObjectType, record_id: int) -> dict:
        return {prop.name: self.value(object_type, record_id, prop) for prop in object_type.properties}

    # --- changes ---------------------------------------------------------
    def change(self, object_type: ObjectType, record_id: int, values: dict, now_ms: int):
        """Stores new values (None or "" clears) and bumps the last-modified time."""
        with self._lock:
            override = self._overrides[object_type.type_id].setdefault(
                record_id, {"props": {}, "modified_ms": now_ms})
            for name, value in values.items():
                override["props"][name] = None if value in (None, "") else str(value)
            override["modified_ms"] = max(now_ms, override["modified_ms"])

    def changed_ids(self, object_type: ObjectType):
        with self._lock:
            return list(self._overrides[object_type.type_id].items())


def sparse_choice(base: int, salt: int) -> int:
    """The TEXT_POOL index of an extra property's value, or -1 when empty (60 %).
    Most values of a wide account are these, so the hash is a cheap one."""
    h = ((base ^ salt) * 0x9E3779B97F4A7C15) & MASK64
    h ^= h >> 29
    return -1 if (h >> 8) % 5 < 3 else (h >> 16) % len(TEXT_POOL)


def record_base(object_type: ObjectType, record_id: int) -> int:
    """The per-record part of every value hash."""
    return (object_type.seed << 40) ^ ((record_id * 0x9E3779B97F4A7C15) & MASK64)


def _contains_sorted(values: list, wanted: int) -> bool:
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if values[middle] < wanted:
            low = middle + 1
        else:
            high = middle
    return low < len(values) and values[low] == wanted


# --- the rest of the account: users, workflows, conversation threads -----

def build_users(config: dict) -> list:
    """Users as GET /settings/v3/users returns them (the official client's
    PublicUser model). The first user is the super admin."""
    settings = config.get("users", {"count": 3})
    if isinstance(settings, list):
        users = [dict(user) for user in settings]
    else:
        users = [{"email": f"user{index}@example.com"} for index in range(int(settings.get("count", 3)))]
    for index, user in enumerate(users):
        user.setdefault("id", str(7_000_001 + index))
        user.setdefault("firstName", FIRST_NAMES[index % len(FIRST_NAMES)].strip())
        user.setdefault("lastName", LAST_NAMES[index % len(LAST_NAMES)].strip())
        user.setdefault("roleIds", [] if index == 0 else [str(100_000 + index % 3)])
        user.setdefault("primaryTeamId", str(40_000 + index % 2))
        user.setdefault("secondaryTeamIds", [])
        user.setdefault("superAdmin", index == 0)
        if user["roleIds"]:
            user.setdefault("roleId", user["roleIds"][0])
    return users


def _filter_branch(branch_type: str, filters: list) -> dict:
    return {"filterBranchType": branch_type, "filterBranchOperator": branch_type,
            "filterBranches": [], "filters": filters}


def _property_filter(name: str) -> dict:
    return {"filterType": "PROPERTY", "property": name,
            "operation": {"operationType": "MULTISTRING", "operator": "IS_KNOWN",
                          "includeObjectsWithNoValueSet": False}}


def build_flows(config: dict) -> list:
    """Workflows in the automation v4 shape (GET /automation/v4/flows/{flowId})."""
    settings = config.get("workflows", {"count": 3})
    if isinstance(settings, list):
        specs = settings
    else:
        specs = [{"name": f"Nurture {index}", "isEnabled": index % 3 != 2,
                  "shouldReEnroll": index % 2 == 0,
                  "trigger_properties": ["lifecyclestage", "firstname"][: 1 + index % 2]}
                 for index in range(int(settings.get("count", 3)))]
    flows = []
    for index, spec in enumerate(specs):
        properties = spec.get("trigger_properties", ["lifecyclestage"])
        should_re_enroll = bool(spec.get("shouldReEnroll", False))
        object_type_id = spec.get("objectTypeId", "0-1")
        enrollment = {
            "type": "LIST_BASED",
            "shouldReEnroll": should_re_enroll,
            "unEnrollObjectsNotMeetingCriteria": False,
            "listFilterBranch": {
                "filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
                "filterBranches": [_filter_branch("AND", [_property_filter(name) for name in properties])],
            },
            "reEnrollmentTriggersFilterBranches": (
                [_filter_branch("AND", [_property_filter(name)]) for name in properties]
                if should_re_enroll else []),
        }
        flows.append({
            "id": str(spec.get("id", 5_000_001 + index)),
            "type": "CONTACT_FLOW" if object_type_id == "0-1" else "PLATFORM_FLOW",
            "flowType": "WORKFLOW",
            "isEnabled": bool(spec.get("isEnabled", True)),
            "name": spec.get("name", f"Workflow {index}"),
            "description": "",
            "uuid": f"00000000-0000-4000-8000-{index:012d}",
            "revisionId": str(index + 1),
            "objectTypeId": object_type_id,
            "createdAt": iso_ms(CREATED_FROM_MS + index * 86400000),
            "updatedAt": iso_ms(CREATED_FROM_MS + (index + 30) * 86400000),
            "startActionId": "1",
            "nextAvailableActionId": "2",
            "actions": [{"actionId": "1", "actionTypeVersion": 0, "actionTypeId": "0-5",
                         "type": "SINGLE_CONNECTION",
                         "fields": {"property_name": properties[0], "value": {"type": "STATIC_VALUE",
                                                                               "staticValue": "x"}}}],
            "enrollmentCriteria": enrollment,
            "timeWindows": [], "blockedDates": [], "customProperties": {}, "dataSources": [],
            "suppressionListIds": [], "canEnrollFromSalesforce": False,
            "crmObjectCreationStatus": "COMPLETE",
        })
    return flows


FLOW_SUMMARY_FIELDS = ("id", "type", "flowType", "isEnabled", "name", "revisionId", "objectTypeId",
                       "createdAt", "updatedAt")


def build_threads(config: dict, contact_ids: list) -> list:
    """Conversation threads as GET /conversations/v3/conversations/threads returns them."""
    count = int(config.get("conversations", {}).get("count", 0))
    threads = []
    for index in range(count):
        created = CREATED_FROM_MS + index * 3_600_000 * 7
        is_closed = index % 3 == 0
        thread = {
            "id": str(9_000_000_001 + index * 3),
            "createdAt": iso_ms(created),
            "status": "CLOSED" if is_closed else "OPEN",
            "originalChannelId": "1000" if index % 2 else "1002",
            "originalChannelAccountId": str(300_000 + index % 2),
            "latestMessageTimestamp": iso_ms(created + 600_000),
            "spam": index % 10 == 9,
            "inboxId": str(200_000 + index % 2),
            "archived": False,
        }
        if is_closed:
            thread["closedAt"] = iso_ms(created + 900_000)
        if contact_ids:
            thread["associatedContactId"] = str(contact_ids[index % len(contact_ids)])
        threads.append(thread)
    return threads
