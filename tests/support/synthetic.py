"""Deterministic, realistic voice/agent-pack raw events, and the truth the marts must reproduce.

    data = generate(Spec(end=now))                    # pure: same Spec, same events
    insert_rows(client, database, data.rows("initial"))
    truth = data.truth("initial")                     # what every mart must agree with
    truth.counts("hour")[("t_1", "s_1", "voice.first_response", hour)]

Events arrive in waves, as they would at a real ingest API:
- "initial": sessions spread over `Spec.hours` before `end`, received within seconds, out of
  order inside each insert, with duplicate copies (retries) among them;
- "late": events that happened inside the dbt lookback but arrive only now, plus spool replays
  (copies of already-stored events with an *earlier* received_at);
- "very_late": events older than the lookback, which only a backfill picks up.

The truth is computed here, independently of the SQL: an event is its earliest-received copy
among the waves inserted so far; counts, exact percentiles (ClickHouse quantileExact's
definition), funnels, sessions and retention are plain Python over those events.
"""

from __future__ import annotations

import collections
import dataclasses
import math
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from clickhouse_connect.driver.client import Client

from warehouse.raw_event import RAW_EVENT_COLUMNS, RawEvent

WAVES = ("initial", "late", "very_late")

TOOLS = (  # name, category, median duration ms
    ("search_products", "search", 180.0),
    ("navigation.goto", "navigation", 60.0),
    ("cart.add", "commerce", 120.0),
    ("booking.hold", "booking", 250.0),
    ("kb.lookup", "knowledge", 140.0),
    ("form.fill", "forms", 90.0),
)
TOOL_ERRORS = ("timeout", "upstream_500", "validation_error", "rate_limited")
KB_QUERIES = tuple(
    f"{topic} {aspect}"
    for topic in ("pricing", "shipping", "returns", "warranty", "opening hours", "booking")
    for aspect in ("policy", "details", "for business")
)
PAGES = ("/", "/pricing", "/products/espresso", "/products/grinder", "/support", "/book", "/cart")
ROUTES = ("/api/v1/analytics/events", "/api/v1/reports/timeseries", "/ws/voice", "/api/v1/tools/call")
QUEUES = ("ingest", "enrichment", "tts")
HTTP_ERRORS = ("upstream_timeout", "db_unavailable", "internal_error")


@dataclasses.dataclass(frozen=True)
class Spec:
    """What to generate; every field has a small default so tests stay fast."""

    end: datetime
    """Events happen before this moment (UTC); pass 'now' so dbt's lookback covers them."""
    seed: int = 7
    hours: int = 96
    tenants: int = 2
    sites_per_tenant: int = 2
    users_per_site: int = 60
    sessions_per_site: int = 400
    ops_every_seconds: int = 180
    """Per site: one ops.endpoint_requests window of this length (pings twice as often)."""
    duplicate_rate: float = 0.02
    """Share of events stored twice in the initial wave (a retry with a later received_at)."""
    late_rate: float = 0.03
    """Share of sessions that arrive in the late wave (they happened inside the lookback)."""
    very_late_rate: float = 0.01
    """Share of sessions that arrive after the lookback (they happened 74-82 h before end)."""
    lookback_hours: int = 48
    """dbt's lookback: a run re-aggregates from the start of the UTC day this long before it."""


@dataclasses.dataclass(frozen=True)
class Event:
    """One event as the marts must see it: its earliest-received copy."""

    tenant_id: str
    event_id: str
    event_name: str
    occurred_at: datetime
    received_at: datetime
    site_id: str
    session_id: str
    user_id: str
    source: str
    attributes: Mapping[str, Any]
    context: Mapping[str, Any]

    def attr(self, key: str, default: Any = None) -> Any:
        return self.attributes.get(key, default)

    @property
    def page_path(self) -> str:
        """context is nested JSON (unlike the flat, dotted attributes)."""
        page = self.context.get("page")
        return str(page.get("path", "")) if isinstance(page, dict) else ""


@dataclasses.dataclass(frozen=True)
class _Copy:
    """One raw row of an event: which wave stores it, and its own times and batch."""

    event: Event
    occurred_at: datetime
    received_at: datetime
    wave: str
    batch_id: str


class Dataset:
    """Every raw row of a generated run, by wave, and the truth after any prefix of the waves."""

    def __init__(self, spec: Spec, copies: list[_Copy]) -> None:
        self.spec = spec
        self._copies = copies

    def rows(self, *waves: str) -> list[RawEvent]:
        """The raw rows of `waves`, in the order an ingest API would have stored them."""
        chosen = [copy for copy in self._copies if copy.wave in (waves or WAVES)]
        return [_raw_row(copy) for copy in _arrival_order(chosen, self.spec.seed)]

    def truth(self, *waves: str) -> Truth:
        """What the marts must show once `waves` (default: all) are in events_raw."""
        earliest: dict[tuple[str, str], _Copy] = {}
        for copy in self._copies:
            if copy.wave not in (waves or WAVES):
                continue
            key = (copy.event.tenant_id, copy.event.event_id)
            rank = (copy.received_at, copy.occurred_at, copy.batch_id)
            held = earliest.get(key)
            if held is None or rank < (held.received_at, held.occurred_at, held.batch_id):
                earliest[key] = copy
        return Truth(
            [
                dataclasses.replace(copy.event, occurred_at=copy.occurred_at, received_at=copy.received_at)
                for copy in earliest.values()
            ]
        )

    def duplicate_count(self, *waves: str) -> int:
        """Raw rows beyond the first copy of each event, among `waves`."""
        chosen = [copy for copy in self._copies if copy.wave in (waves or WAVES)]
        return len(chosen) - len({(c.event.tenant_id, c.event.event_id) for c in chosen})


def insert_rows(client: Client, database: str, rows: Sequence[RawEvent], batch_size: int = 20_000) -> None:
    """Append exactly `rows` to `database`.events_raw, `batch_size` rows per insert.

    optimize_on_insert is off so that copies of an event inside one insert are stored as
    copies: ReplacingMergeTree would otherwise collapse them on the spot (keeping the *last*),
    and the point of the duplicates is to reach the table.
    """
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        client.insert(
            f"{database}.events_raw",
            [[getattr(row, column) for column in RAW_EVENT_COLUMNS] for row in chunk],
            column_names=list(RAW_EVENT_COLUMNS),
            settings={"optimize_on_insert": 0},
        )


# --- the truth -------------------------------------------------------------------------------


def bucket(moment: datetime, grain: str) -> datetime:
    """Start of the `grain` (minute, hour, day, week = Monday, month) holding `moment`."""
    if grain == "minute":
        return moment.replace(second=0, microsecond=0)
    if grain == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown grain {grain!r}")


def exact_quantile(values: Sequence[float], level: float) -> float:
    """ClickHouse quantileExact: the element at index floor(level * n) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(int(level * len(ordered)), len(ordered) - 1)]


@dataclasses.dataclass(frozen=True)
class Session:
    tenant_id: str
    site_id: str
    session_id: str
    user_id: str
    started_at: datetime
    ended_at: datetime
    event_count: int
    page_views: int

    @property
    def duration_ms(self) -> int:
        return (self.ended_at - self.started_at) // timedelta(milliseconds=1)

    @property
    def is_bounce(self) -> bool:
        return self.event_count == 1


class Truth:
    """Deduplicated events and the numbers every mart must reproduce from them."""

    def __init__(self, events: list[Event]) -> None:
        self.events = sorted(events, key=lambda e: (e.tenant_id, e.occurred_at, e.event_id))

    def __len__(self) -> int:
        return len(self.events)

    def where(self, predicate: Callable[[Event], bool]) -> Truth:
        return Truth([event for event in self.events if predicate(event)])

    def counts(self, grain: str) -> collections.Counter[tuple[str, str, str, datetime]]:
        """Events per (tenant, site, event_name, bucket)."""
        return collections.Counter(
            (e.tenant_id, e.site_id, e.event_name, bucket(e.occurred_at, grain)) for e in self.events
        )

    def distinct(self, grain: str, field: str) -> dict[tuple[str, str, str, datetime], int]:
        """Distinct non-empty `field` (user_id, session_id) per (tenant, site, event_name, bucket)."""
        seen: dict[tuple[str, str, str, datetime], set[str]] = collections.defaultdict(set)
        for e in self.events:
            value = getattr(e, field)
            key = (e.tenant_id, e.site_id, e.event_name, bucket(e.occurred_at, grain))
            group = seen.setdefault(key, set())  # a group of anonymous events still counts 0
            if value:
                group.add(value)
        return {key: len(values) for key, values in seen.items()}

    def latency_samples(
        self, suffixes: Sequence[str] = ("_ms",), exclude: Sequence[str] = ("ops.window_ms",)
    ) -> dict[tuple[str, str, str, str], list[tuple[datetime, float]]]:
        """(occurred_at, value) per (tenant, site, event_name, attribute) for numeric `*_ms` keys."""
        samples: dict[tuple[str, str, str, str], list[tuple[datetime, float]]] = collections.defaultdict(list)
        for e in self.events:
            for key, value in e.attributes.items():
                if key.endswith(tuple(suffixes)) and key not in exclude and _is_number(value):
                    samples[(e.tenant_id, e.site_id, e.event_name, key)].append((e.occurred_at, float(value)))
        return samples

    def funnel(
        self, steps: Sequence[str], window_seconds: int, by: str
    ) -> dict[tuple[str, str, date], list[int]]:
        """Entities reaching at least each step, per (tenant, site, day of the first step).

        A chain starts at a first-step event on that day; each next step is a later event in
        (occurred_at, step) order at most `window_seconds` after the start. Equal timestamps
        count in step order. An entity's level on a day is its longest chain from any start.
        """
        position = {name: index for index, name in enumerate(steps)}
        window = timedelta(seconds=window_seconds)
        by_entity: dict[tuple[str, str, str], list[tuple[datetime, int]]] = collections.defaultdict(list)
        for e in self.events:
            entity = _entity(e, by)
            if entity and e.event_name in position:
                by_entity[(e.tenant_id, e.site_id, entity)].append((e.occurred_at, position[e.event_name]))
        reached: dict[tuple[str, str, date], list[int]] = {}
        for (tenant, site, _entity_id), marks in by_entity.items():
            marks.sort()
            best: dict[date, int] = {}
            for start_index, (start_at, step) in enumerate(marks):
                if step != 0:
                    continue
                level = 1
                for at, later_step in marks[start_index + 1 :]:
                    if at - start_at > window:
                        break
                    if later_step == level:
                        level += 1
                day = start_at.date()
                best[day] = max(best.get(day, 0), level)
            for day, level in best.items():
                counts = reached.setdefault((tenant, site, day), [0] * len(steps))
                for index in range(level):
                    counts[index] += 1
        return reached

    def sessions(self) -> list[Session]:
        grouped: dict[tuple[str, str, str], list[Event]] = collections.defaultdict(list)
        for e in self.events:
            if e.session_id:
                grouped[(e.tenant_id, e.site_id, e.session_id)].append(e)
        found = []
        for (tenant, site, session_id), events in grouped.items():
            times = [e.occurred_at for e in events]
            first = min(events, key=lambda e: (e.occurred_at, e.event_id))
            found.append(
                Session(
                    tenant,
                    site,
                    session_id,
                    first.user_id,
                    min(times),
                    max(times),
                    len(events),
                    sum(e.event_name in ("page_view", "device_page_view") for e in events),
                )
            )
        return found

    def retention_weekly(self) -> dict[tuple[str, str, date, date], int]:
        """Users per (tenant, site, cohort week, activity week); cohort = first active week."""
        weeks: dict[tuple[str, str, str], set[date]] = collections.defaultdict(set)
        for e in self.events:
            if e.user_id:
                weeks[(e.tenant_id, e.site_id, e.user_id)].add(bucket(e.occurred_at, "week").date())
        cells: collections.Counter[tuple[str, str, date, date]] = collections.Counter()
        for (tenant, site, _user), active in weeks.items():
            cohort = min(active)
            for week in active:
                cells[(tenant, site, cohort, week)] += 1
        return dict(cells)

    def top_items(self, events: Sequence[str], key: str) -> collections.Counter[tuple[str, str, date, str]]:
        """Counts per (tenant, site, day, item) of the non-empty attribute `key` (or "page_path")
        on `events` (every event if empty)."""
        counts: collections.Counter[tuple[str, str, date, str]] = collections.Counter()
        for e in self.events:
            if events and e.event_name not in events:
                continue
            item = e.page_path if key == "page_path" else e.attributes.get(key)
            if isinstance(item, str) and item:
                counts[(e.tenant_id, e.site_id, e.occurred_at.date(), item)] += 1
        return counts


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _entity(event: Event, by: str) -> str:
    if by == "session":
        return event.session_id
    if by == "user":
        return event.user_id
    if by.startswith("attribute:"):
        value = event.attributes.get(by.removeprefix("attribute:"))
        return value if isinstance(value, str) else ""
    raise ValueError(f"unknown funnel entity {by!r}")


# --- generation ------------------------------------------------------------------------------


def generate(spec: Spec) -> Dataset:
    """All raw rows of the run `spec` describes; the same spec always yields the same rows."""
    rng = random.Random(spec.seed)
    end = spec.end.astimezone(UTC).replace(microsecond=0)
    copies: list[_Copy] = []
    batch = _BatchNumbers()
    for tenant_index in range(1, spec.tenants + 1):
        tenant = f"t_{tenant_index}"
        for site_index in range(1, spec.sites_per_tenant + 1):
            site = f"s_{tenant_index}_{site_index}"
            users = [f"u_{tenant_index}_{site_index}_{n}" for n in range(spec.users_per_site)]
            for _ in range(spec.sessions_per_site):
                wave, start = _session_wave_and_start(rng, spec, end)
                events = _session(rng, tenant, site, rng.choice(users), start, end)
                copies.extend(_store(rng, spec, events, wave, end, batch))
            ops = _ops_events(rng, spec, tenant, site, end)
            copies.extend(_store(rng, spec, ops, "initial", end, batch))
    return Dataset(spec, copies)


class _BatchNumbers:
    """batch_id per wave: a new batch every few hundred rows, like the API's group commit."""

    def __init__(self) -> None:
        self._counts: collections.Counter[str] = collections.Counter()

    def next(self, wave: str) -> str:
        self._counts[wave] += 1
        return f"{wave}-{self._counts[wave] // 400:05d}"


def _session_wave_and_start(rng: random.Random, spec: Spec, end: datetime) -> tuple[str, datetime]:
    roll = rng.random()
    if roll < spec.very_late_rate:
        # the lookback reaches back to the start of the day `lookback_hours` ago, i.e. at most
        # lookback + 24 h: these happened earlier still, so only a backfill picks them up
        return "very_late", end - timedelta(hours=spec.lookback_hours + 26 + 8 * rng.random())
    if roll < spec.very_late_rate + spec.late_rate:
        return "late", end - timedelta(hours=3 + (spec.lookback_hours - 10) * rng.random())
    return "initial", end - timedelta(hours=spec.hours) + timedelta(
        seconds=rng.random() * (spec.hours - 2) * 3600
    )


def _ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return round(median * math.exp(rng.gauss(0.0, sigma)), 1)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _SessionWriter:
    """Builds one session's events on a moving clock."""

    def __init__(
        self, rng: random.Random, tenant: str, site: str, session: str, user: str, start: datetime
    ) -> None:
        self.rng, self.tenant, self.site, self.session, self.user = rng, tenant, site, session, user
        self.clock = _ms(start)
        self.page = rng.choice(PAGES)
        self.events: list[Event] = []

    def wait(self, low: float, high: float) -> None:
        self.clock = _ms(self.clock + timedelta(seconds=self.rng.uniform(low, high)))

    def emit(self, name: str, attributes: Mapping[str, Any] | None = None, source: str = "voice_ws") -> None:
        self.events.append(
            Event(
                tenant_id=self.tenant,
                event_id=_uuid(self.rng),
                event_name=name,
                occurred_at=self.clock,
                received_at=self.clock,  # set when stored
                site_id=self.site,
                session_id=self.session,
                user_id=self.user,
                source=source,
                attributes=dict(attributes or {}),
                context={"page": {"path": self.page, "url": f"https://{self.site}.example{self.page}"}},
            )
        )


def _session(
    rng: random.Random, tenant: str, site: str, user: str, start: datetime, end: datetime
) -> list[Event]:
    s = _SessionWriter(rng, tenant, site, f"ssn_{_uuid(rng)[:13]}", user, start)
    s.emit("page_view", source="web")
    if rng.random() < 0.12:
        return s.events  # a bounce: one page view, nothing else
    voice_session = f"vs_{_uuid(rng)[:8]}"
    for turn in range(rng.randint(1, 5)):
        s.wait(3, 40)
        s.emit("voice.turn_started", {"voice.session_id": voice_session})
        for _ in range(rng.randint(1, 3)):
            s.wait(0.05, 0.4)
            s.emit("voice.asr_partial", {"asr.partial_latency_ms": _lognormal(rng, 120, 0.5)})
        s.wait(0.2, 1.0)
        s.emit("voice.first_response", {"voice.first_response_ms": _lognormal(rng, 650, 0.45)})
        if rng.random() < 0.15:
            s.wait(0.5, 3)
            s.emit("voice.barge_in", {"voice.barge_in_to_pause_ms": _lognormal(rng, 180, 0.4)})
        chain = rng.choice((0, 0, 1, 1, 2, 3))
        for _ in range(chain):
            name, category, median = rng.choice(TOOLS)
            attributes: dict[str, Any] = {
                "tool.name": name,
                "tool.category": category,
                "tool.call_id": _uuid(rng)[:12],
                "task.id": f"task_{turn}",
            }
            s.wait(0.1, 1)
            s.emit("ai.tool_call_started", attributes)
            done = {**attributes, "tool.duration_ms": _lognormal(rng, median, 0.6)}
            done["tool.success"] = rng.random() < 0.9
            if not done["tool.success"]:
                done["error.type"] = rng.choice(TOOL_ERRORS)
            if category == "navigation":
                done["navigation.optimistic"] = rng.random() < 0.7
            s.wait(0.05, 1.5)
            s.emit("ai.tool_call_completed", done)
        if chain:
            s.emit("ai.tool_chain_completed", {"tool.chain_length": chain, "task.id": f"task_{turn}"})
        if rng.random() < 0.4:
            results = rng.choice((0, 0, 1, 3, 5, 8))
            s.wait(0.1, 0.5)
            s.emit(
                "kb.search",
                {
                    "kb.query": rng.choice(KB_QUERIES),
                    "kb.results_count": results,
                    "kb.latency_ms": _lognormal(rng, 90, 0.5),
                    "kb.top_score": round(rng.uniform(0.3, 0.99), 3) if results else 0.0,
                },
            )
            if results and rng.random() < 0.6:
                s.wait(1, 8)
                s.emit(
                    "kb.hit", {"kb.rank": rng.randint(1, results), "kb.chunk_id": f"c{rng.randint(1, 99)}"}
                )
        if rng.random() < 0.3:
            s.wait(2, 20)
            s.page = rng.choice(PAGES)
            s.emit("page_view", source="web")
    _commerce(rng, s)
    _booking(rng, s)
    return [e for e in s.events if e.occurred_at < end]


def _commerce(rng: random.Random, s: _SessionWriter) -> None:
    if rng.random() >= 0.45:
        return
    product = f"p_{rng.randint(1, 30)}"
    value, currency = round(rng.uniform(5, 400), 2), rng.choice(("USD", "EUR"))
    details = {"commerce.product_id": product, "commerce.value": value, "commerce.currency": currency}
    s.wait(1, 30)
    s.emit("commerce.view", details)
    for step, chance in (("add_to_cart", 0.55), ("checkout", 0.65), ("order_placed", 0.7)):
        if rng.random() >= chance:
            return
        roll = rng.random()
        if roll < 0.08:
            pass  # same millisecond as the previous step: the funnel's tie-break decides
        elif roll < 0.16 and step == "order_placed":
            s.wait(3700, 7200)  # outside the checkout funnel's 1 h window
        else:
            s.wait(5, 600)
        extra = {"commerce.coupon": "SPRING10"} if step == "order_placed" and rng.random() < 0.2 else {}
        s.emit(f"commerce.{step}", {**details, **extra})


def _booking(rng: random.Random, s: _SessionWriter) -> None:
    if rng.random() >= 0.15:
        return
    slot = f"slot_{_uuid(rng)[:8]}"
    s.wait(1, 60)
    s.emit("booking.slot_hold", {"booking.slot_id": slot})
    if rng.random() < 0.65:
        s.wait(30, 1800)
        s.emit("booking.confirmed", {"booking.slot_id": slot})


def _ops_events(rng: random.Random, spec: Spec, tenant: str, site: str, end: datetime) -> list[Event]:
    """The service's own signals for one site (the contract's ops.* events)."""
    events: list[Event] = []

    def emit(at: datetime, name: str, attributes: dict[str, Any]) -> None:
        events.append(
            Event(tenant, _uuid(rng), name, _ms(at), _ms(at), site, "", "", "server", attributes, {})
        )

    step = timedelta(seconds=spec.ops_every_seconds)
    moment = end - timedelta(hours=spec.hours)
    while moment < end - step:
        at = moment + timedelta(seconds=rng.uniform(0, spec.ops_every_seconds))
        route = rng.choice(ROUTES)
        requests = rng.randint(20, 400)
        emit(
            at,
            "ops.endpoint_requests",
            {
                "http.route": route,
                "ops.window_ms": step // timedelta(milliseconds=1),
                "ops.request_count": requests,
            },
        )
        for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2, 4))):
            status = rng.choice((500, 500, 503, 429, 400))
            emit(
                at,
                "ops.endpoint_error",
                {
                    "http.route": route,
                    "http.request.method": "POST",
                    "http.response.status_code": status,
                    "error.type": rng.choice(HTTP_ERRORS) if status >= 500 else str(status),
                },
            )
        emit(at, "ops.ws_ping", {"ws.ping_rtt_ms": _lognormal(rng, 35, 0.5)})
        emit(at + step / 2, "ops.ws_ping", {"ws.ping_rtt_ms": _lognormal(rng, 35, 0.5)})
        queue = rng.choice(QUEUES)
        emit(
            at,
            "ops.queue_lag",
            {
                "messaging.destination.name": queue,
                "queue.lag_ms": _lognormal(rng, 250, 0.9),
                "queue.depth": rng.randint(0, 5000),
                "queue.consumed_per_s": round(rng.uniform(50, 900), 1),
            },
        )
        if rng.random() < 0.02:
            emit(
                at,
                "ops.backpressure_drop",
                {
                    "messaging.destination.name": queue,
                    "backpressure.dropped_count": rng.randint(1, 50),
                    "backpressure.reason": "queue_full",
                },
            )
        moment += step
    return events


def _store(
    rng: random.Random, spec: Spec, events: Iterable[Event], wave: str, end: datetime, batch: _BatchNumbers
) -> Iterator[_Copy]:
    """The raw rows of `events` arriving in `wave`: received after they happen, some twice."""
    for event in events:
        if wave == "initial":
            received = _ms(event.occurred_at + timedelta(seconds=rng.uniform(0.05, 3)))
        else:
            received = _ms(end + timedelta(seconds=rng.uniform(0, 60)))
        yield _Copy(event, event.occurred_at, received, wave, batch.next(wave))
        if wave == "initial" and rng.random() < spec.duplicate_rate:
            retry = _ms(received + timedelta(seconds=rng.uniform(1, 30)))
            roll = rng.random()
            if roll < 0.2:
                # the retry's drift correction differs by a few seconds: the first copy's time wins
                yield _Copy(
                    event, _ms(event.occurred_at + timedelta(seconds=3)), retry, wave, batch.next(wave)
                )
            elif roll < 0.3 and event.occurred_at > end - timedelta(hours=spec.lookback_hours - 2):
                # a spool replay inside the lookback: stored late, but received first, so its
                # occurred_at becomes the truth once the late wave is in
                early = _ms(received - timedelta(seconds=rng.uniform(0.01, 0.04)))
                shifted = _ms(event.occurred_at - timedelta(seconds=2))
                yield _Copy(event, shifted, early, "late", batch.next("late"))
            else:
                yield _Copy(event, event.occurred_at, retry, wave, batch.next(wave))


def _arrival_order(copies: list[_Copy], seed: int) -> list[_Copy]:
    """Roughly by received_at, shuffled within each insert so rows arrive out of order."""
    ordered = sorted(copies, key=lambda c: (c.received_at, c.event.event_id))
    rng = random.Random(seed ^ len(copies))
    chunks = [ordered[i : i + 500] for i in range(0, len(ordered), 500)]
    for chunk in chunks:
        rng.shuffle(chunk)
    return [copy for chunk in chunks for copy in chunk]


_encode = msgspec.json.Encoder()


def _raw_row(copy: _Copy) -> RawEvent:
    e = copy.event
    return RawEvent(
        tenant_id=e.tenant_id,
        event_id=e.event_id,
        event_name=e.event_name,
        occurred_at=copy.occurred_at,
        client_occurred_at=copy.occurred_at,
        occurred_offset_minutes=0,
        received_at=copy.received_at,
        site_id=e.site_id,
        session_id=e.session_id,
        user_id=e.user_id,
        source=e.source,
        schema_key=f"iglu:dev.eventhouse.voice/{e.event_name.replace('.', '_')}/jsonschema/1-0-0",
        attributes=_encode.encode(dict(e.attributes)).decode(),
        context=_encode.encode(dict(e.context)).decode(),
        country="DE",
        ip_prefix="",
        user_agent="Mozilla/5.0 (synthetic)",
        sdk="eventhouse-synthetic/1",
        batch_id=copy.batch_id,
    )
