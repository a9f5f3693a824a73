"""The fake HubSpot server behaves as tests/hubspot/README.md promises:
paging, batches, search, scopes, rate limits, faults, admin endpoints.

Run: python3 tests/hubspot/test_fake_hubspot.py -v (standard library only).
The official client's view of the same server is tests/cli/test_hubspot_conformance.py.
"""
import base64
import concurrent.futures
import gzip
import http.client
import json
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fake_hubspot import FakeHubSpot  # noqa: E402

TOKEN = "self-test-token"


class Client:
    """One keep-alive connection; answers are (status, headers, parsed JSON)."""

    def __init__(self, port: int, token: str = TOKEN):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def call(self, method: str, path: str, body=None, query=None, gzip_ok=True):
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        self.connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, response, json.loads(data) if data else None

    def close(self):
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def base_config(**overrides) -> dict:
    config = {"token": TOKEN, "portal_id": 4242,
              "objects": {"contacts": {"count": 120, "seed": 3, "extra_properties": 5, "archived": 4},
                          "deals": {"count": 10, "seed": 5}},
              "custom_objects": [{"name": "pets", "objectTypeId": "2-1001", "count": 7}],
              "missing_objects": ["tickets"], "conversations": {"count": 3}}
    config.update(overrides)
    return config


class FakeTestCase(unittest.TestCase):
    config = base_config()

    def setUp(self):
        self.fake = FakeHubSpot(self.config)
        self.port = self.fake.start()
        self.client = Client(self.port)

    def tearDown(self):
        self.client.close()
        self.fake.stop()

    def list_all(self, object_type="contacts", **query):
        records, after = [], None
        while True:
            page_query = dict(query, limit=100, **({"after": after} if after else {}))
            status, _, body = self.client.call("GET", f"/crm/v3/objects/{object_type}", query=page_query)
            self.assertEqual(status, 200, body)
            records += body["results"]
            after = body.get("paging", {}).get("next", {}).get("after")
            if not after:
                return records


class PagingTest(FakeTestCase):
    def test_lists_every_live_record_once_in_ascending_id_order(self):
        ids = [int(record["id"]) for record in self.list_all()]
        self.assertEqual(len(ids), 120)
        self.assertEqual(ids, sorted(set(ids)))
        self.assertTrue(any(later - earlier > 1 for earlier, later in zip(ids, ids[1:])), "ids have gaps")

    def test_archived_true_lists_only_archived_records(self):
        live = {record["id"] for record in self.list_all()}
        archived = self.list_all(archived="true")
        self.assertEqual(len(archived), 4)
        self.assertTrue(all(record["archived"] for record in archived))
        self.assertFalse(live & {record["id"] for record in archived})

    def test_cursor_is_base64_that_must_be_url_encoded(self):
        _, _, body = self.client.call("GET", "/crm/v3/objects/contacts", query={"limit": 2})
        cursor = body["paging"]["next"]["after"]
        base64.b64decode(cursor, validate=True)
        self.assertTrue(cursor.startswith("+/"))
        raw = f"/crm/v3/objects/contacts?limit=2&after={cursor}"     # '+' decodes to a space
        status, _, error = self.client.call("GET", raw)
        self.assertEqual((status, error["category"]), (400, "VALIDATION_ERROR"))

    def test_limit_above_100_is_refused(self):
        status, _, _ = self.client.call("GET", "/crm/v3/objects/contacts", query={"limit": 101})
        self.assertEqual(status, 400)

    def test_asked_properties_come_back_with_nulls_and_the_id_and_time_properties(self):
        _, _, body = self.client.call("GET", "/crm/v3/objects/deals",
                                      query={"limit": 10, "properties": "dealname,amount,nonexistent"})
        for record in body["results"]:
            self.assertEqual(set(record["properties"]),
                             {"dealname", "amount", "createdate", "hs_lastmodifieddate", "hs_object_id"})
        self.assertTrue(any(record["properties"]["amount"] is None for record in body["results"]))

    def test_every_generated_time_lies_before_2026(self):
        for record in self.list_all(properties="lastmodifieddate"):
            self.assertLess(record["properties"]["lastmodifieddate"], "2026-01-01")
            self.assertLessEqual(record["createdAt"], record["updatedAt"])

    def test_custom_object_answers_to_its_three_names(self):
        for alias in ("2-1001", "p_pets", "p4242_pets"):
            status, _, body = self.client.call("GET", f"/crm/v3/objects/{alias}", query={"limit": 100})
            self.assertEqual((status, len(body["results"])), (200, 7), alias)

    def test_missing_object_type_is_404_by_name_and_by_id(self):
        for alias in ("tickets", "0-5"):
            status, _, body = self.client.call("GET", f"/crm/v3/objects/{alias}")
            self.assertEqual(status, 404, alias)
            self.assertEqual(set(body), {"status", "message", "correlationId", "category"})

    def test_unknown_object_type_is_400(self):
        status, _, body = self.client.call("GET", "/crm/v3/objects/spaceships")
        self.assertEqual((status, body["message"]), (400, "Unable to infer object type from: spaceships"))

    def test_url_over_16300_characters_is_414_and_counted(self):
        status, _, _ = self.client.call("GET", "/crm/v3/objects/contacts", query={"properties": "p" * 16_400})
        self.assertEqual(status, 414)
        stats = self.fake.stats()
        self.assertEqual(stats["uri_too_long_414"], 1)
        self.assertGreater(stats["max_url_length"], 16_300)

    def test_answers_are_gzip_only_when_asked(self):
        self.client.connection.request("GET", "/crm/v3/objects/contacts",
                                       headers={"Authorization": f"Bearer {TOKEN}"})
        response = self.client.connection.getresponse()
        json.loads(response.read())
        self.assertIsNone(response.getheader("Content-Encoding"))
        _, response, _ = self.client.call("GET", "/crm/v3/objects/contacts")
        self.assertEqual(response.getheader("Content-Encoding"), "gzip")


class BatchTest(FakeTestCase):
    config = base_config(update_rejects={"contacts": []})

    def ids(self, count):
        return [record["id"] for record in self.list_all()[:count]]

    def test_batch_read_shuffles_results_and_reports_unknown_ids(self):
        ids = self.ids(20)
        status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/batch/read",
                                           {"properties": ["email"], "inputs": [{"id": i} for i in ids + ["5"]]})
        self.assertEqual(status, 207)
        self.assertEqual(sorted(record["id"] for record in body["results"]), sorted(ids))
        self.assertNotEqual([record["id"] for record in body["results"]], ids)
        self.assertEqual(body["numErrors"], 1)
        self.assertEqual(body["errors"][0]["context"]["ids"], ["5"])

    def test_batch_update_rejects_read_only_and_calculated_properties_for_the_whole_batch(self):
        first, second = self.ids(2)
        for name in ("createdate", "num_associated_deals", "lastmodifieddate"):
            status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": [
                {"id": first, "properties": {"firstname": "ok"}}, {"id": second, "properties": {name: "1"}}]})
            self.assertEqual((status, body["category"]), (400, "VALIDATION_ERROR"), name)
        _, _, page = self.client.call("POST", "/crm/v3/objects/contacts/batch/read",
                                      {"properties": ["firstname"], "inputs": [{"id": first}]})
        self.assertNotEqual(page["results"][0]["properties"]["firstname"], "ok")

    def test_batch_update_over_100_inputs_is_400(self):
        inputs = [{"id": str(1000 + index), "properties": {"firstname": "x"}} for index in range(101)]
        status, _, _ = self.client.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": inputs})
        self.assertEqual(status, 400)

    def test_batch_update_stores_clears_and_bumps_last_modified(self):
        first = self.ids(1)[0]
        before = int(time.time() * 1000)
        values = {"firstname": " a,\"b\"\r\n ", "lastname": "", "hs_buying_role": "CHAMPION;OTHER"}
        status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/batch/update",
                                           {"inputs": [{"id": first, "properties": values}]})
        self.assertEqual(status, 200)
        self.assertEqual(self.fake.stats()["batch_update_calls"], 1)
        _, _, page = self.client.call("POST", "/crm/v3/objects/contacts/batch/read", {
            "properties": ["firstname", "lastname", "hs_buying_role", "lastmodifieddate"], "inputs": [{"id": first}]})
        properties = page["results"][0]["properties"]
        self.assertEqual(properties["firstname"], " a,\"b\"\r\n ")
        self.assertIsNone(properties["lastname"])
        self.assertEqual(properties["hs_buying_role"], "CHAMPION;OTHER")
        modified = datetime_ms(properties["lastmodifieddate"])
        self.assertGreaterEqual(modified, before - 1000)

    def test_one_id_twice_in_a_batch_update_is_400(self):
        first = self.ids(1)[0]
        status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": [
            {"id": first, "properties": {"firstname": "a"}}, {"id": first, "properties": {"lastname": "b"}}]})
        self.assertEqual(status, 400)
        self.assertIn("Duplicate IDs", body["message"])

    def test_invalid_enumeration_value_is_400(self):
        status, _, _ = self.client.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": [
            {"id": self.ids(1)[0], "properties": {"lifecyclestage": "nonsense"}}]})
        self.assertEqual(status, 400)


def datetime_ms(text: str) -> int:
    from fake_hubspot_data import parse_time_ms
    return parse_time_ms(text)


class ScopeTest(FakeTestCase):
    config = base_config(scopes=["crm.objects.contacts.read", "crm.objects.contacts.sensitive.read"])

    def test_missing_scope_names_the_required_granular_scope(self):
        status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/batch/update", {"inputs": []})
        self.assertEqual((status, body["category"]), (403, "MISSING_SCOPES"))
        self.assertEqual(body["errors"][0]["context"]["requiredGranularScopes"], ["crm.objects.contacts.write"])

    def test_sensitive_properties_are_listed_only_when_asked_and_allowed(self):
        _, _, default = self.client.call("GET", "/crm/v3/properties/contacts")
        self.assertEqual({prop["dataSensitivity"] for prop in default["results"]}, {"non_sensitive"})
        status, _, sensitive = self.client.call("GET", "/crm/v3/properties/contacts",
                                                query={"dataSensitivity": "sensitive"})
        self.assertEqual((status, [prop["name"] for prop in sensitive["results"]]), (200, ["passport_number"]))
        status, _, _ = self.client.call("GET", "/crm/v3/properties/contacts",
                                        query={"dataSensitivity": "highly_sensitive"})
        self.assertEqual(status, 403)

    def test_highly_sensitive_value_needs_its_scope(self):
        status, _, _ = self.client.call("GET", "/crm/v3/objects/contacts", query={"properties": "passport_number"})
        self.assertEqual(status, 200)
        status, _, body = self.client.call("GET", "/crm/v3/objects/contacts", query={"properties": "medical_condition"})
        self.assertEqual((status, body["category"]), (403, "MISSING_SCOPES"))

    def test_wrong_token_is_401(self):
        with Client(self.port, "nope") as stranger:
            status, _, body = stranger.call("GET", "/crm/v3/objects/contacts")
        self.assertEqual((status, body["category"]), (401, "INVALID_AUTHENTICATION"))


class SearchTest(FakeTestCase):
    def test_total_without_filters_and_modified_since(self):
        status, _, body = self.client.call("POST", "/crm/v3/objects/contacts/search", {"limit": 1})
        self.assertEqual((status, body["total"]), (200, 120))
        record = self.list_all()[7]
        since = int(time.time() * 1000) - 1
        urllib_post(self.port, f"/__fake/records/0-1/{record['id']}", {"properties": {"firstname": "Edited"}})
        for value in (str(since), "2026-01-01T00:00:00Z"):
            _, _, body = self.client.call("POST", "/crm/v3/objects/contacts/search", {"filterGroups": [
                {"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": value}]}], "limit": 200})
            self.assertEqual(body["total"], 1)
            self.assertEqual(body["results"][0]["id"], record["id"])

    def test_search_limit_over_200_is_400_and_sixth_search_in_a_second_is_429(self):
        status, _, _ = self.client.call("POST", "/crm/v3/objects/contacts/search", {"limit": 201})
        self.assertEqual(status, 400)
        statuses = [self.client.call("POST", "/crm/v3/objects/contacts/search", {"limit": 1})[0] for _ in range(6)]
        self.assertIn(429, statuses)


class ChangeDuringListTest(FakeTestCase):
    config = base_config(change_during_list={"object": "contacts", "after_requests": 1, "records": 6})

    def test_records_change_on_both_sides_of_the_cursor(self):
        _, _, first_page = self.client.call("GET", "/crm/v3/objects/contacts", query={"limit": 60})
        listed = {record["id"] for record in first_page["results"]}
        _, _, body = self.client.call("POST", "/crm/v3/objects/contacts/search", {"filterGroups": [
            {"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": "2026-01-01"}]}],
            "limit": 100})
        changed = {record["id"] for record in body["results"]}
        self.assertEqual(len(changed), 6)
        self.assertTrue(changed & listed and changed - listed)


class LimitTest(FakeTestCase):
    config = base_config(limits={"ten_second": 5, "daily": 8})

    def test_ten_second_window_then_daily_budget(self):
        answers = [self.client.call("GET", "/crm/v3/objects/contacts", query={"limit": 1}) for _ in range(6)]
        self.assertEqual([status for status, _, _ in answers], [200] * 5 + [429])
        first = answers[0][1]
        self.assertEqual(first.getheader("X-HubSpot-RateLimit-Max"), "5")
        self.assertEqual(first.getheader("X-HubSpot-RateLimit-Remaining"), "4")
        self.assertEqual(first.getheader("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000")
        self.assertEqual(first.getheader("X-HubSpot-RateLimit-Daily-Remaining"), "7")
        _, limited, body = answers[-1]
        self.assertEqual(body["policyName"], "TEN_SECONDLY_ROLLING")
        self.assertGreaterEqual(int(limited.getheader("Retry-After")), 1)


class DailyTest(FakeTestCase):
    config = base_config(limits={"daily": 2})

    def test_daily_budget(self):
        statuses = [self.client.call("GET", "/crm/v3/objects/contacts")[0] for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        _, _, body = self.client.call("GET", "/crm/v3/objects/contacts")
        self.assertEqual(body["policyName"], "DAILY")


class FaultTest(FakeTestCase):
    def test_every_nth_5xx_alternates_500_and_502(self):
        self.fake.set_faults({"every_nth_5xx": 2})
        statuses = [self.client.call("GET", "/crm/v3/objects/contacts")[0] for _ in range(8)]
        self.assertEqual(statuses, [200, 500, 200, 502, 200, 500, 200, 502])

    def test_reset_every_nth_closes_the_connection_unanswered(self):
        self.fake.set_faults({"reset_every_nth": 2})
        self.client.call("GET", "/crm/v3/objects/contacts")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.client.call("GET", "/crm/v3/objects/contacts")
        self.assertEqual(self.fake.stats()["connection_resets"], 1)

    def test_latency_overlaps_across_connections(self):
        urllib_post(self.port, "/__fake/faults", {"latency_ms": 300})
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: one_call(self.port, "/crm/v3/objects/contacts"), range(8)))
        self.assertEqual(statuses, [200] * 8)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertGreaterEqual(self.fake.stats()["max_in_flight"], 4)

    def test_every_nth_429_honours_retry_after_switch(self):
        self.fake.set_faults({"every_nth_429": 1, "retry_after": False})
        status, response, _ = self.client.call("GET", "/crm/v3/objects/contacts")
        self.assertEqual((status, response.getheader("Retry-After")), (429, None))


class AdminTest(FakeTestCase):
    def test_records_dump_holds_every_live_record_and_every_property(self):
        lines = urllib_get(self.port, "/__fake/records/0-1").decode().splitlines()
        self.assertEqual(len(lines), 120)
        first = json.loads(lines[0])
        self.assertIn("medical_condition", first["properties"])
        self.assertEqual(len(first["properties"]), 15 + 3 + 5)

    def test_reset_stats(self):
        self.client.call("GET", "/crm/v3/objects/contacts")
        urllib_post(self.port, "/__fake/reset-stats", {})
        self.assertEqual(self.fake.stats()["requests_total"], 0)


class CommandLineTest(unittest.TestCase):
    def test_writes_the_port_file_and_stops_on_sigterm(self):
        with tempfile.TemporaryDirectory() as scratch:
            config = pathlib.Path(scratch) / "config.json"
            config.write_text(json.dumps(base_config()))
            port_file = pathlib.Path(scratch) / "port"
            process = subprocess.Popen([sys.executable, str(HERE / "fake_hubspot.py"), "--config", str(config),
                                        "--port-file", str(port_file)], stderr=subprocess.PIPE)
            try:
                deadline = time.monotonic() + 10
                while not port_file.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                with Client(int(port_file.read_text())) as client:
                    status, _, body = client.call("GET", "/account-info/v3/details")
                self.assertEqual((status, body["portalId"]), (200, 4242))
            finally:
                process.send_signal(signal.SIGTERM)
                self.assertEqual(process.wait(timeout=10), 0)
                process.stderr.close()


def one_call(port: int, path: str) -> int:
    with Client(port) as client:
        return client.call("GET", path)[0]


def urllib_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


def urllib_post(port: int, path: str, body: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 200, answer
    return answer


if __name__ == "__main__":
    unittest.main()
