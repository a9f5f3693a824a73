"""Rate limits, injected faults and request statistics of the fake HubSpot.

HubSpot limits a private app's token with a rolling ten-second window, a
daily budget and, for the CRM search endpoints, a few requests per second.
Only admitted requests count against the windows, so a client that backs off
gets in again once the window has rolled on.

Standard library only.
"""
import collections
import datetime
import math
import threading
import time

DEFAULT_FAULTS = {"every_nth_429": 0, "every_nth_5xx": 0, "latency_ms": 0,
                  "reset_every_nth": 0, "retry_after": True}
TEN_SECONDS = 10.0


class Rejection:
    """A request turned away: an HTTP status, a policy and a Retry-After in seconds."""

    def __init__(self, status: int, policy: str = "", retry_after: int = 0):
        self.status = status
        self.policy = policy            # TEN_SECONDLY_ROLLING, DAILY, SECONDLY, or "" for 5xx/reset
        self.retry_after = retry_after


class Governor:
    """Admits or rejects each data request and keeps the statistics."""

    def __init__(self, config: dict):
        limits = config.get("limits", {})
        self.ten_second_max = int(limits.get("ten_second", 190))
        self.daily_max = int(limits.get("daily", 500_000))
        self.search_per_second = int(limits.get("search_per_second", 5))
        self.faults = dict(DEFAULT_FAULTS, **config.get("faults", {}))
        self._lock = threading.Lock()
        self._window = collections.deque()         # admitted request times, last ten seconds
        self._search_window = collections.deque()  # admitted search times, last second
        self._daily_used = 0
        self._day = _utc_day()
        self._data_requests = 0
        self._in_flight = 0
        self.reset_stats()

    # --- faults ------------------------------------------------------------
    def set_faults(self, faults: dict):
        """Replaces the faults; "every n-th" counts restart from the next request."""
        with self._lock:
            self.faults = dict(DEFAULT_FAULTS, **faults)
            self._data_requests = 0

    def latency_seconds(self) -> float:
        return float(self.faults.get("latency_ms", 0)) / 1000.0

    def _injected(self, ordinal: int):
        """The fault planned for the `ordinal`-th data request, if any."""
        faults = self.faults
        if _every(faults.get("reset_every_nth"), ordinal):
            return Rejection(0, "reset")
        if _every(faults.get("every_nth_5xx"), ordinal):
            nth = ordinal // int(faults["every_nth_5xx"])
            return Rejection(500 if nth % 2 else 502)
        if _every(faults.get("every_nth_429"), ordinal):
            return Rejection(429, "TEN_SECONDLY_ROLLING", 1)
        return None

    # --- admission ---------------------------------------------------------
    def admit(self, is_search: bool):
        """None when the request may proceed, else the Rejection to send."""
        with self._lock:
            now = time.monotonic()
            self._data_requests += 1
            injected = self._injected(self._data_requests)
            if injected is not None:
                self._stats["injected_faults"] += 1
                return injected
            self._roll(now)
            if self._daily_used >= self.daily_max:
                return Rejection(429, "DAILY", _seconds_to_midnight())
            if len(self._window) >= self.ten_second_max:
                wait = self._window[0] + TEN_SECONDS - now
                return Rejection(429, "TEN_SECONDLY_ROLLING", max(1, math.ceil(wait)))
            if is_search and len(self._search_window) >= self.search_per_second:
                return Rejection(429, "SECONDLY", 1)
            self._window.append(now)
            if is_search:
                self._search_window.append(now)
            self._daily_used += 1
            return None

    def _roll(self, now: float):
        while self._window and self._window[0] <= now - TEN_SECONDS:
            self._window.popleft()
        while self._search_window and self._search_window[0] <= now - 1.0:
            self._search_window.popleft()
        if _utc_day() != self._day:
            self._day, self._daily_used = _utc_day(), 0

    def headers(self) -> dict:
        """HubSpot's rate-limit headers, sent on every authenticated response."""
        with self._lock:
            self._roll(time.monotonic())
            return {
                "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(TEN_SECONDS * 1000)),
                "X-HubSpot-RateLimit-Max": str(self.ten_second_max),
                "X-HubSpot-RateLimit-Remaining": str(max(0, self.ten_second_max - len(self._window))),
                "X-HubSpot-RateLimit-Daily": str(self.daily_max),
                "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, self.daily_max - self._daily_used)),
            }

    # --- statistics --------------------------------------------------------
    def reset_stats(self):
        with self._lock:
            self._first_request = None
            self._stats = collections.Counter()
            self._by_endpoint = collections.Counter()
            self._by_status = collections.Counter()
            self._max_url_length = 0
            self._max_in_flight = self._in_flight

    def request_started(self, url_length: int):
        with self._lock:
            if self._first_request is None:
                self._first_request = time.monotonic()
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            self._max_url_length = max(self._max_url_length, url_length)
            self._stats["requests_total"] += 1

    def request_finished(self, endpoint: str, status: int):
        """Counts the answer; status 0 means the connection was closed unanswered."""
        with self._lock:
            self._in_flight -= 1
            self._by_endpoint[endpoint] += 1
            self._by_status[str(status)] += 1
            if status == 429:
                self._stats["rate_limited_429"] += 1
                if time.monotonic() - self._first_request > 1.0:
                    self._stats["rate_limited_429_after_first_second"] += 1
            elif status >= 500:
                self._stats["server_errors_5xx"] += 1
            elif status == 414:
                self._stats["uri_too_long_414"] += 1
            elif status == 0:
                self._stats["connection_resets"] += 1

    def count(self, name: str, amount: int = 1):
        with self._lock:
            self._stats[name] += amount

    def stats(self) -> dict:
        with self._lock:
            result = {name: self._stats.get(name, 0) for name in (
                "requests_total", "rate_limited_429", "rate_limited_429_after_first_second",
                "server_errors_5xx", "uri_too_long_414", "connection_resets", "injected_faults",
                "batch_update_calls", "batch_update_records", "batch_read_calls",
                "list_requests", "search_requests")}
            result.update(max_url_length=self._max_url_length, max_in_flight=self._max_in_flight,
                          by_endpoint=dict(self._by_endpoint), by_status=dict(self._by_status),
                          daily_used=self._daily_used, faults=dict(self.faults))
            return result


def _every(nth, ordinal: int) -> bool:
    return bool(nth) and int(nth) > 0 and ordinal % int(nth) == 0


def _utc_day() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def _seconds_to_midnight() -> int:
    now = datetime.datetime.now(datetime.timezone.utc)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=datetime.timezone.utc)
    return max(1, math.ceil((midnight - now).total_seconds()))
