"""The HubSpot API endpoints of the fake server: one function per endpoint,
taking (state, request) and returning (status, body), plus the route table.

Bodies follow HubSpot's shapes as the official client's models and HubSpot's
API reference give them; tests/hubspot/conformance checks them with the
official client. Errors are raised as ApiError and answered as HubSpot's
{"status", "message", "correlationId", "category"} body.

Standard library only.
"""
import base64
import binascii
import itertools
import json
import re
import threading
import time
import urllib.parse
import uuid

from fake_hubspot_data import (FLOW_SUMMARY_FIELDS, GENERATED_UNTIL_MS, STANDARD_TYPES, Dataset, RawJson,
                               build_flows, build_threads, build_users, iso_ms, mix64, parse_time_ms)
from fake_hubspot_limits import Governor

MAX_URL_LENGTH = 16_300
MAX_BATCH_INPUTS = 100
MAX_LIST_LIMIT = 100
MAX_SEARCH_LIMIT = 200
MAX_SEARCH_RESULTS = 10_000
CURSOR_MARK = b"\xfb\xff"      # makes every cursor start with "+/", which must be URL-encoded
SCOPES_URL = "https://developers.hubspot.com/scopes"


class ApiError(Exception):
    """An error answer in HubSpot's shape: status, message, correlationId, category."""

    def __init__(self, status: int, category: str, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.body = {"status": "error", "message": message,
                     "correlationId": str(uuid.uuid4()), "category": category, **extra}
        self.headers = {}


def missing_scope(scope: str) -> ApiError:
    return ApiError(
        403, "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call. "
        f"Read more about required scopes here: {SCOPES_URL}.",
        errors=[{"message": "One or more of the following scopes are required.",
                 "context": {"requiredGranularScopes": [scope]}}],
        links={"scopes": SCOPES_URL})


def encode_cursor(kind: str, position: int) -> str:
    """An opaque paging cursor: standard base64, so it holds '+', '/' and '='."""
    return base64.b64encode(CURSOR_MARK + f"{kind}:{position}".encode()).decode()


def decode_cursor(kind: str, text: str) -> int:
    try:
        raw = base64.b64decode(text, validate=True)
        label, _, position = raw[len(CURSOR_MARK):].decode().partition(":")
        if raw.startswith(CURSOR_MARK) and label == kind:
            return int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiError(400, "VALIDATION_ERROR", f"Invalid input: after cursor '{text}' is malformed.")


class Request:
    """What a handler needs from one API request."""

    def __init__(self, method: str, params: dict, query: dict, body):
        self.method = method
        self.params = params
        self.query = query
        self.body = body

    def arg(self, name: str, default=None):
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, maximum: int) -> int:
        text = self.arg(name)
        if text is None:
            return default
        if not text.isdigit() or not 1 <= int(text) <= maximum:
            raise ApiError(400, "VALIDATION_ERROR",
                           f"Invalid input: {name} must be between 1 and {maximum}, got '{text}'.")
        return int(text)

    def list_arg(self, name: str) -> list:
        """A list parameter sent as repeated keys, comma-separated, or both."""
        return [item for value in self.query.get(name, []) for item in value.split(",") if item]


class FakeState:
    """Everything the handlers share: config, data, limits, counters."""

    def __init__(self, config: dict):
        self.config = config
        self.token = config.get("token", "test-token")
        self.scopes = config.get("scopes")
        self.portal_id = int(config.get("portal_id", 123456))
        self.dataset = Dataset(config)
        self.governor = Governor(config)
        self.users = build_users(config)
        self.flows = build_flows(config)
        contacts = self.dataset.resolve("contacts")
        contact_ids = list(itertools.islice(self.dataset.live_ids(contacts), 50)) if contacts else []
        self.threads = build_threads(config, contact_ids)
        self.update_rejects = {key: {str(value) for value in values}
                               for key, values in config.get("update_rejects", {}).items()}
        self.change_plan = dict(config.get("change_during_list") or {})
        listed = set(config.get("missing_objects", []))
        self.missing_types = listed | {alias for name, type_id, *_ in STANDARD_TYPES
                                       if listed & {name, type_id} for alias in (name, type_id)}
        self.list_requests = {}
        self.base_url = ""
        self.lock = threading.Lock()

    def require(self, *scopes: str):
        """Passes when any of `scopes` is granted (a '.v2' variant counts too)."""
        if self.scopes is None:
            return
        granted = set(self.scopes)
        if not any(scope in granted or scope + ".v2" in granted for scope in scopes):
            raise missing_scope(scopes[0])

    def object_type(self, alias: str):
        if alias in self.missing_types:
            raise ApiError(404, "OBJECT_NOT_FOUND", f"Object type {alias} is not available in this account.")
        object_type = self.dataset.resolve(alias)
        if object_type is None:
            raise ApiError(400, "VALIDATION_ERROR", f"Unable to infer object type from: {alias}")
        return object_type

    def now_ms(self) -> int:
        return int(time.time() * 1000)


# --- API handlers: each takes (state, request) and returns (status, body) ----

def account_details(state: FakeState, request: Request):
    return 200, {"portalId": state.portal_id, "accountType": "STANDARD", "timeZone": "US/Eastern",
                 "companyCurrency": "USD", "additionalCurrencies": [], "utcOffset": "-05:00",
                 "utcOffsetMilliseconds": -18000000, "uiDomain": "app.hubspot.com",
                 "dataHostingLocation": "na1"}


def page_of(state: FakeState, items: list, request: Request, kind: str, default_limit: int,
            max_limit: int, path: str):
    """A forward-paged slice of a small in-memory list."""
    limit = request.int_arg("limit", default_limit, max_limit)
    start = decode_cursor(kind, request.arg("after")) if request.arg("after") else 0
    body = {"results": items[start:start + limit]}
    if start + limit < len(items):
        body["paging"] = next_paging(state, path, encode_cursor(kind, start + limit))
    return 200, body


def next_paging(state: FakeState, path: str, cursor: str) -> dict:
    link = f"{state.base_url}{path}?after={urllib.parse.quote(cursor, safe='')}"
    return {"next": {"after": cursor, "link": link}}


def results_json(records: list, **fields) -> RawJson:
    """{"results": [...], **fields} where the records are JSON text already."""
    extra = "".join(f",{json.dumps(key)}:{json.dumps(value, ensure_ascii=False)}"
                    for key, value in fields.items())
    return RawJson('{"results":[' + ",".join(records) + "]" + extra + "}")


def users_list(state: FakeState, request: Request):
    state.require("settings.users.read")
    return page_of(state, state.users, request, "users", 100, 100, "/settings/v3/users")


def schema_json(state: FakeState, object_type) -> dict:
    number = object_type.type_id.split("-", 1)[1]
    return {
        "id": number, "objectTypeId": object_type.type_id, "name": object_type.name,
        "fullyQualifiedName": object_type.fully_qualified_name,
        "labels": {"singular": object_type.singular, "plural": object_type.plural},
        "primaryDisplayProperty": "name", "secondaryDisplayProperties": [],
        "requiredProperties": ["name"], "searchableProperties": ["name"],
        "properties": [prop.to_json() for prop in object_type.properties
                       if prop.sensitivity == "non_sensitive"],
        "associations": [], "archived": False,
        "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": "2025-01-01T00:00:00.000Z",
    }


def schemas_list(state: FakeState, request: Request):
    state.require("crm.schemas.custom.read")
    return 200, {"results": [schema_json(state, object_type)
                             for object_type in state.dataset.types if object_type.custom]}


def require_read(state: FakeState, object_type):
    state.require(*object_type.read_scopes)


def require_sensitivity(state: FakeState, object_type, sensitivity: str, access: str):
    if sensitivity == "sensitive":
        state.require(f"{object_type.sensitive_scope}.{access}")
    elif sensitivity == "highly_sensitive":
        state.require(f"{object_type.highly_sensitive_scope}.{access}")


def properties_list(state: FakeState, request: Request):
    object_type = state.object_type(request.params["objectType"])
    schema_scope = "crm.schemas.custom.read" if object_type.custom else f"crm.schemas.{object_type.name}.read"
    state.require(*object_type.read_scopes, schema_scope)
    sensitivity = request.arg("dataSensitivity", "non_sensitive")
    if sensitivity not in ("non_sensitive", "sensitive", "highly_sensitive"):
        raise ApiError(400, "VALIDATION_ERROR", f"Invalid input: dataSensitivity '{sensitivity}'.")
    require_sensitivity(state, object_type, sensitivity, "read")
    return 200, {"results": [prop.to_json() for prop in object_type.properties
                             if prop.sensitivity == sensitivity]}


def returned_properties(state: FakeState, object_type, asked: list) -> list:
    """The properties a record answer holds: those asked for (or the type's
    defaults) plus the id, create and last-modified properties, as HubSpot does.
    Asking for a sensitive value needs its scope."""
    names = list(dict.fromkeys(asked or object_type.default_properties))
    for name in names:
        prop = object_type.props_by_name.get(name)
        if prop is not None:
            require_sensitivity(state, object_type, prop.sensitivity, "read")
    for name in ("createdate", object_type.lastmod, "hs_object_id"):
        if name not in names:
            names.append(name)
    return names


def objects_list(state: FakeState, request: Request):
    object_type = state.object_type(request.params["objectType"])
    require_read(state, object_type)
    limit = request.int_arg("limit", 10, MAX_LIST_LIMIT)
    after = request.arg("after")
    start = decode_cursor(object_type.type_id, after) if after else 0
    is_archived = request.arg("archived", "false") == "true"
    names = returned_properties(state, object_type, request.list_arg("properties"))
    ids = list(itertools.islice(state.dataset.ids_from(object_type, start, is_archived), limit + 1))
    records = [state.dataset.record_text(object_type, record_id, names, is_archived) for record_id in ids[:limit]]
    paging = {}
    if len(ids) > limit:
        paging["paging"] = next_paging(state, f"/crm/v3/objects/{request.params['objectType']}",
                                       encode_cursor(object_type.type_id, ids[limit]))
    state.governor.count("list_requests")
    change_during_list(state, object_type)
    return 200, results_json(records, **paging)


def change_during_list(state: FakeState, object_type):
    """Simulates users editing records while a backup pages through them:
    after the K-th list request of the planned object, N records spread over
    the whole id range (so some already listed, some not) change."""
    plan = state.change_plan
    if not plan or state.dataset.resolve(plan.get("object", "")) is not object_type:
        return
    with state.lock:
        done = state.list_requests.get(object_type.type_id, 0) + 1
        state.list_requests[object_type.type_id] = done
        if done != int(plan.get("after_requests", 1)):
            return
    target = next(prop for prop in object_type.properties
                  if prop.type == "string" and not prop.read_only and prop.sensitivity == "non_sensitive")
    records = int(plan.get("records", 1))
    slots = object_type.slots
    for index in range(records):
        slot = int((index + 0.5) * slots / records)
        while state.dataset.is_archived_slot(object_type, slot):
            slot = (slot + 1) % slots
        record_id = state.dataset.id_of_slot(object_type, slot)
        state.dataset.change(object_type, record_id, {target.name: f"changed during backup {index}"},
                             state.now_ms())


def parse_inputs(request: Request, unique: bool) -> list:
    """The batch's inputs, each an object with an "id". HubSpot refuses a
    batch update naming one id twice; `unique` asks for that check."""
    body = request.body if isinstance(request.body, dict) else {}
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(item, dict) and "id" in item for item in inputs):
        raise ApiError(400, "VALIDATION_ERROR", "Invalid input JSON: 'inputs' must be a list of {\"id\": ...}.")
    if len(inputs) > MAX_BATCH_INPUTS:
        raise ApiError(400, "VALIDATION_ERROR",
                       f"Batch input can contain at most {MAX_BATCH_INPUTS} inputs, got {len(inputs)}.")
    ids = [str(item["id"]) for item in inputs]
    duplicates = sorted({record_id for record_id in ids if ids.count(record_id) > 1})
    if unique and duplicates:
        raise ApiError(400, "VALIDATION_ERROR",
                       f"Duplicate IDs found in batch input: {duplicates}. IDs must be unique")
    return inputs


def record_id_of(item) -> int:
    text = str(item.get("id", "")) if isinstance(item, dict) else ""
    return int(text) if text.isdigit() else -1


def batch_envelope(started: str, results: list, errors: list):
    """HubSpot's batch answer: 200 when every input succeeded, 207 with errors otherwise."""
    fields = {"status": "COMPLETE", "startedAt": started, "completedAt": iso_ms(int(time.time() * 1000))}
    if errors:
        fields["numErrors"] = sum(len(error["context"]["ids"]) for error in errors)
        fields["errors"] = errors
        return 207, results_json(results, **fields)
    return 200, results_json(results, **fields)


def batch_error(category: str, message: str, ids: list) -> dict:
    return {"status": "error", "category": category, "message": message,
            "context": {"ids": [str(record_id) for record_id in ids]}, "errors": [], "links": {}}


def batch_read(state: FakeState, request: Request):
    started = iso_ms(state.now_ms())
    object_type = state.object_type(request.params["objectType"])
    require_read(state, object_type)
    inputs = parse_inputs(request, unique=False)
    names = returned_properties(state, object_type, list(request.body.get("properties") or []))
    is_archived = request.arg("archived", "false") == "true"
    found, missing = [], []
    for record_id in dict.fromkeys(record_id_of(item) for item in inputs):
        exists = state.dataset.record_exists(object_type, record_id, is_archived)
        (found if exists else missing).append(record_id)
    # HubSpot answers in no particular order; a fixed shuffle keeps tests repeatable.
    found.sort(key=lambda record_id: mix64(record_id))
    results = [state.dataset.record_text(object_type, record_id, names, is_archived) for record_id in found]
    errors = []
    if missing:
        errors.append(batch_error(
            "OBJECT_NOT_FOUND", f"Could not get some {object_type.singular.upper()} objects, they may be "
            "deleted or not exist. Check that ids are valid.", missing))
    state.governor.count("batch_read_calls")
    return batch_envelope(started, results, errors)


def validate_update_values(state: FakeState, object_type, inputs: list):
    """Rejects the whole batch, as HubSpot does, for an unknown, read-only or
    calculated property or a value its type cannot hold."""
    problems = []
    for item in inputs:
        properties = item.get("properties")
        if not isinstance(properties, dict):
            raise ApiError(400, "VALIDATION_ERROR", f"Invalid input JSON: input {item['id']} has no properties object.")
        for name, value in properties.items():
            prop = object_type.props_by_name.get(name)
            issue = update_issue(prop, name, value)
            if issue:
                problems.append(issue)
            elif prop.sensitivity != "non_sensitive":
                require_sensitivity(state, object_type, prop.sensitivity, "write")
    if problems:
        unknown = [problem for problem in problems if problem["error"] == "PROPERTY_DOESNT_EXIST"]
        raise ApiError(400, "VALIDATION_ERROR",
                       "Property values were not valid: " + json.dumps(problems[:10]),
                       subCategory=("PROPERTY_DOESNT_EXIST" if unknown else "INVALID_PROPERTY_VALUE"))


def update_issue(prop, name: str, value):
    def issue(error, message):
        return {"isValid": False, "message": message, "error": error, "name": name}
    if prop is None:
        return issue("PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
    if prop.read_only or prop.calculated:
        return issue("READ_ONLY_VALUE", f'"{name}" is a read only property; its value cannot be set.')
    if value in (None, ""):
        return None
    text = str(value)
    if prop.type == "enumeration":
        allowed = {option_value for _, option_value in prop.options}
        values = text.split(";") if prop.field_type == "checkbox" else [text]
        bad = [item for item in values if item not in allowed]
        if bad:
            return issue("INVALID_OPTION", f'{bad[0]} was not one of the allowed options: '
                         f'{sorted(allowed)}')
    elif prop.type == "number" and not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return issue("INVALID_LONG", f'"{text}" is not a valid number')
    elif prop.type == "bool" and text not in ("true", "false"):
        return issue("INVALID_BOOLEAN", f'"{text}" is not a valid boolean')
    elif prop.type == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return issue("INVALID_DATE", f'"{text}" is not a valid date')
    return None


def batch_update(state: FakeState, request: Request):
    started = iso_ms(state.now_ms())
    object_type = state.object_type(request.params["objectType"])
    state.require(*object_type.write_scopes)
    inputs = parse_inputs(request, unique=True)
    validate_update_values(state, object_type, inputs)
    rejects = (state.update_rejects.get(object_type.name, set())
               | state.update_rejects.get(object_type.type_id, set()))
    results, missing, errors = [], [], []
    for item in inputs:
        record_id = record_id_of(item)
        if not state.dataset.record_exists(object_type, record_id):
            missing.append(item.get("id"))
        elif str(record_id) in rejects:
            errors.append(batch_error("VALIDATION_ERROR",
                                      f"Record {record_id} was rejected: a validation rule failed.",
                                      [record_id]))
        else:
            values = item.get("properties") or {}
            state.dataset.change(object_type, record_id, values, state.now_ms())
            names = returned_properties(state, object_type, [])
            results.append(state.dataset.record_text(object_type, record_id, list(values) + names))
    if missing:
        errors.insert(0, batch_error("OBJECT_NOT_FOUND",
                                     f"Could not get some {object_type.singular.upper()} objects, they may "
                                     "be deleted or not exist. Check that ids are valid.", missing))
    state.governor.count("batch_update_calls")
    state.governor.count("batch_update_records", len(results))
    return batch_envelope(started, results, errors)


SEARCH_OPERATORS = {"GT": lambda a, b: a > b, "GTE": lambda a, b: a >= b, "LT": lambda a, b: a < b,
                    "LTE": lambda a, b: a <= b, "EQ": lambda a, b: a == b, "NEQ": lambda a, b: a != b}


def search_filters(object_type, body: dict) -> list:
    """[[(property, operator, number)]]: OR of ANDs over the time properties or hs_object_id."""
    groups = []
    for group in body.get("filterGroups") or []:
        filters = []
        for item in group.get("filters") or []:
            name, operator = item.get("propertyName"), item.get("operator")
            if name not in ("createdate", object_type.lastmod, "hs_object_id"):
                raise ApiError(400, "VALIDATION_ERROR",
                               f"The fake supports search filters on createdate, {object_type.lastmod} "
                               f"and hs_object_id only, not '{name}'.")
            if operator not in SEARCH_OPERATORS:
                raise ApiError(400, "VALIDATION_ERROR", f"Unsupported operator '{operator}'.")
            try:
                number = int(item["value"]) if name == "hs_object_id" else parse_time_ms(item["value"])
            except (KeyError, ValueError):
                raise ApiError(400, "VALIDATION_ERROR", f"Invalid filter value for {name}: "
                               f"{item.get('value')!r}") from None
            filters.append((name, operator, number))
        groups.append(filters)
    return groups


def search_candidates(state: FakeState, object_type, groups: list):
    """Ids worth testing. Every generated last-modified time lies before
    GENERATED_UNTIL_MS, so a lower bound past it needs only the changed records."""
    def recent_only(filters):
        return any(name == object_type.lastmod and operator in ("GT", "GTE", "EQ")
                   and number >= GENERATED_UNTIL_MS for name, operator, number in filters)
    if groups and all(recent_only(filters) for filters in groups):
        return sorted(record_id for record_id, _ in state.dataset.changed_ids(object_type)
                      if state.dataset.record_exists(object_type, record_id))
    return state.dataset.live_ids(object_type)


def search_matches(state: FakeState, object_type, record_id: int, groups: list) -> bool:
    if not groups:
        return True
    for filters in groups:
        if all(SEARCH_OPERATORS[operator](search_value(state, object_type, record_id, name), number)
               for name, operator, number in filters):
            return True
    return False


def search_value(state: FakeState, object_type, record_id: int, name: str) -> int:
    if name == "hs_object_id":
        return record_id
    if name == object_type.lastmod:
        return state.dataset.modified_ms(object_type, record_id)
    return state.dataset.created_ms(object_type, record_id)


def body_int(body: dict, name: str, default: int) -> int:
    value = body.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    raise ApiError(400, "VALIDATION_ERROR", f"Invalid input: {name} must be a whole number, got {value!r}.")


def search(state: FakeState, request: Request):
    object_type = state.object_type(request.params["objectType"])
    require_read(state, object_type)
    body = request.body if isinstance(request.body, dict) else {}
    limit = body_int(body, "limit", 10)
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ApiError(400, "VALIDATION_ERROR", f"Invalid input: limit must be between 1 and {MAX_SEARCH_LIMIT}.")
    offset = body_int(body, "after", 0)
    if offset + limit > MAX_SEARCH_RESULTS:
        raise ApiError(400, "VALIDATION_ERROR",
                       f"The search API returns at most {MAX_SEARCH_RESULTS} results per query.")
    groups = search_filters(object_type, body)
    names = returned_properties(state, object_type, list(body.get("properties") or []))
    if not groups:
        total, page_ids = object_type.count, list(itertools.islice(
            state.dataset.live_ids(object_type), offset, offset + limit))
    else:
        matching = [record_id for record_id in search_candidates(state, object_type, groups)
                    if search_matches(state, object_type, record_id, groups)]
        total, page_ids = len(matching), matching[offset:offset + limit]
    records = [state.dataset.record_text(object_type, record_id, names) for record_id in page_ids]
    paging = {"paging": {"next": {"after": str(offset + limit)}}} if offset + limit < total else {}
    state.governor.count("search_requests")
    return 200, results_json(records, total=total, **paging)


def flows_list(state: FakeState, request: Request):
    state.require("automation")
    summaries = [{key: flow[key] for key in FLOW_SUMMARY_FIELDS} for flow in state.flows]
    return page_of(state, summaries, request, "flows", 100, 500, "/automation/v4/flows")


def flow_get(state: FakeState, request: Request):
    state.require("automation")
    for flow in state.flows:
        if flow["id"] == request.params["flowId"]:
            return 200, flow
    raise ApiError(404, "OBJECT_NOT_FOUND", f"Flow {request.params['flowId']} does not exist.")


def threads_list(state: FakeState, request: Request):
    state.require("conversations.read")
    if request.arg("sort", "id") != "id":
        raise ApiError(400, "VALIDATION_ERROR", "The fake sorts threads by id only.")
    return page_of(state, state.threads, request, "threads", 20, 500,
                   "/conversations/v3/conversations/threads")


ROUTES = [
    # method, path pattern, handler, endpoint name for statistics, counts as a search
    ("GET", r"/account-info/v3/details", account_details, False),
    ("GET", r"/settings/v3/users/?", users_list, False),
    ("GET", r"/crm/v3/schemas/?", schemas_list, False),
    ("GET", r"/crm-object-schemas/v3/schemas/?", schemas_list, False),   # the official client's path
    ("GET", r"/crm/v3/properties/(?P<objectType>[^/]+)/?", properties_list, False),
    ("GET", r"/crm/v3/objects/(?P<objectType>[^/]+)/?", objects_list, False),
    ("POST", r"/crm/v3/objects/(?P<objectType>[^/]+)/batch/read", batch_read, False),
    ("POST", r"/crm/v3/objects/(?P<objectType>[^/]+)/batch/update", batch_update, False),
    ("POST", r"/crm/v3/objects/(?P<objectType>[^/]+)/search", search, True),
    ("GET", r"/automation/v4/flows/?", flows_list, False),
    ("GET", r"/automation/v4/flows/(?P<flowId>[^/]+)", flow_get, False),
    ("GET", r"/conversations/v3/conversations/threads/?", threads_list, False),
]


def endpoint_name(method: str, pattern: str) -> str:
    """'GET /crm/v3/objects/{objectType}': the statistics key of a route."""
    return f"{method} " + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).rstrip("/?")


COMPILED_ROUTES = [(method, re.compile(pattern + r"\Z"), handler, is_search, endpoint_name(method, pattern))
                   for method, pattern, handler, is_search in ROUTES]


def route(method: str, path: str):
    for route_method, pattern, handler, is_search, endpoint in COMPILED_ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler, match.groupdict(), is_search, endpoint
    return None, {}, False, f"{method} (unknown)"


RATE_LIMIT_MESSAGES = {"TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
                       "SECONDLY": "You have reached your secondly limit.",
                       "DAILY": "You have reached your daily limit."}


def rate_limit_error(state: FakeState, rejection) -> ApiError:
    error = ApiError(429, "RATE_LIMITS", RATE_LIMIT_MESSAGES[rejection.policy], errorType="RATE_LIMIT",
                     policyName=rejection.policy)
    if state.governor.faults.get("retry_after", True):
        error.headers["Retry-After"] = str(rejection.retry_after)
    return error


def admin_change(state: FakeState, alias: str, record_text: str, body) -> dict:
    """Changes a record's values as a HubSpot user would, bumping last-modified."""
    object_type = state.object_type(alias)
    record_id = int(record_text) if record_text.isdigit() else -1
    if not state.dataset.record_exists(object_type, record_id):
        raise ApiError(404, "OBJECT_NOT_FOUND", f"No live {object_type.name} record {record_text}.")
    values = (body or {}).get("properties") or {}
    unknown = [name for name in values if name not in object_type.props_by_name]
    if unknown:
        raise ApiError(400, "VALIDATION_ERROR", f"Unknown properties: {unknown}")
    state.dataset.change(object_type, record_id, values, state.now_ms())
    return {"id": str(record_id), "properties": state.dataset.all_values(object_type, record_id)}


def parse_json(raw: bytes):
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "VALIDATION_ERROR", "Invalid input JSON: the body is not JSON.") from None
