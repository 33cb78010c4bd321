"""clickhouse-connect, unmodified, against the warehouse (embedded, or a server when configured)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from clickhouse_connect.driver.client import Client
from clickhouse_connect.driver.exceptions import DatabaseError

from eventhouse.settings import Settings
from warehouse.client import connect
from warehouse.raw_event import RAW_EVENT_COLUMNS


@pytest.fixture(scope="module")
def scratch(ch: Client, settings: Settings) -> Iterator[str]:
    name = f"{settings.database}_cc"
    ch.command(f"CREATE DATABASE IF NOT EXISTS {name}")
    yield name
    ch.command(f"DROP DATABASE IF EXISTS {name}")


def test_command_returns_scalars(ch: Client) -> None:
    assert ch.command("SELECT 1") == 1
    assert ch.command("SELECT 'a', 2") == ["a", "2"]


def test_query_with_server_side_parameters(ch: Client) -> None:
    result = ch.query(
        "SELECT number, {label:String} FROM numbers(10) WHERE number >= {low:UInt32} AND has({keep:Array(UInt8)}, number)",
        parameters={"label": "x'y", "low": 3, "keep": [1, 4, 7]},
    )
    assert result.result_rows == [(4, "x'y"), (7, "x'y")]


def test_insert_every_events_raw_column_type(ch: Client, migrated: Settings) -> None:
    now = dt.datetime(2026, 11, 1, 12, 30, 15, 123000, tzinfo=dt.UTC)
    event_id = uuid.uuid4()
    row = {
        "tenant_id": "t_cc",
        "event_id": event_id,
        "event_name": "voice.first_response",
        "occurred_at": now,
        "client_occurred_at": now - dt.timedelta(seconds=2),
        "occurred_offset_minutes": 180,
        "received_at": now + dt.timedelta(seconds=1),
        "site_id": "s_1",
        "session_id": "ssn_1",
        "user_id": "anon_1",
        "source": "voice_ws",
        "schema_key": "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0",
        "attributes": '{"voice.first_response_ms": 412}',
        "context": '{"locale": "en-US"}',
        "country": "DE",
        "ip_prefix": "",
        "user_agent": "Mozilla/5.0",
        "sdk": "eventhouse-python/0.1.0",
        "batch_id": "b1",
    }
    summary = ch.insert(
        f"{migrated.database}.events_raw",
        [[row[c] for c in RAW_EVENT_COLUMNS]],
        column_names=list(RAW_EVENT_COLUMNS),
    )
    assert summary.written_rows == 1
    stored = ch.query(
        f"SELECT * FROM {migrated.database}.events_raw WHERE event_id = {{id:UUID}}",
        parameters={"id": event_id},
    ).named_results()
    (back,) = list(stored)
    assert back["event_id"] == event_id
    assert back["occurred_at"].replace(tzinfo=dt.UTC) == now
    assert back["occurred_offset_minutes"] == 180
    assert back["attributes"] == row["attributes"]
    assert back["country"] == "DE"


def test_insert_and_read_back_other_types(ch: Client, scratch: str) -> None:
    ch.command(
        f"CREATE TABLE {scratch}.types (id UInt64, tags Array(String), props Map(String, String), "
        "maybe Nullable(Int32), flag Bool, price Decimal(10, 2), day Date) ENGINE = MergeTree ORDER BY id"
    )
    rows = [
        [i, [f"t{i}"], {"k": str(i)}, None if i % 2 else i, i % 3 == 0, i / 4, dt.date(2026, 1, 1 + i)]
        for i in range(5)
    ]
    ch.insert(f"{scratch}.types", rows)
    back = ch.query(
        f"SELECT id, tags, props, maybe, flag, toFloat64(price), day FROM {scratch}.types ORDER BY id"
    )
    assert [list(r) for r in back.result_rows] == rows


def test_query_df_and_query_arrow(ch: Client) -> None:
    sql = "SELECT number AS n, toString(number) AS s FROM numbers(1000)"
    frame = ch.query_df(sql)
    assert len(frame) == 1000 and frame["n"].sum() == sum(range(1000))
    table = ch.query_arrow(sql)
    assert table.num_rows == 1000 and table.column_names == ["n", "s"]


def test_streaming_reads_many_blocks(ch: Client) -> None:
    total = 0
    blocks = 0
    with ch.query_column_block_stream(
        "SELECT number FROM numbers(300000) SETTINGS max_block_size = 10000"
    ) as stream:
        for block in stream:
            blocks += 1
            total += sum(block[0])
    assert total == sum(range(300000))
    assert blocks > 1
    with ch.query_rows_stream("SELECT number FROM numbers(50000)") as rows:
        assert sum(1 for _ in rows) == 50000


def test_error_carries_clickhouse_code_and_text(ch: Client) -> None:
    with pytest.raises(DatabaseError) as caught:
        ch.query("SELECT * FROM eventhouse_no_such_db.no_such_table")
    assert "UNKNOWN_DATABASE" in str(caught.value) or "UNKNOWN_TABLE" in str(caught.value)


@pytest.mark.parametrize("codec", ["lz4", "zstd", "gzip", "br"])
def test_compressed_inserts_as_clickhouse_connect_sends_them(
    settings: Settings, scratch: str, codec: str
) -> None:
    client = connect(settings, compress=codec)
    table = f"{scratch}.codec_{codec}"
    client.command(f"CREATE TABLE {table} (id UInt64, s String) ENGINE = MergeTree ORDER BY id")
    # large enough that clickhouse-connect sends several compressed blocks — except for br, where
    # it compresses each block as its own stream, which clickhouse-server rejects too
    rows = 20_000 if codec == "br" else 120_000
    client.insert(table, [[i, "x" * (i % 50)] for i in range(rows)], column_names=["id", "s"])
    assert client.query(f"SELECT count(), sum(id) FROM {table}").result_rows == [(rows, sum(range(rows)))]


def test_session_keeps_settings_between_requests(settings: Settings) -> None:
    client = connect(settings, session_id=f"s-{uuid.uuid4()}")
    client.command("SET max_threads = 1")
    assert client.command("SELECT getSetting('max_threads')") == 1
    other = connect(settings)
    assert other.command("SELECT getSetting('max_threads')") != 1
