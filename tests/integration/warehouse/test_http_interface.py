"""ClickHouse's HTTP interface details, spoken over plain HTTP."""

from __future__ import annotations

import io
import json
import uuid

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventhouse import compression
from eventhouse.settings import Settings


@pytest.fixture(scope="module")
def http(warehouse_url: str) -> httpx.Client:
    return httpx.Client(base_url=warehouse_url, timeout=30)


@pytest.fixture(scope="module")
def scratch(http: httpx.Client, settings: Settings) -> str:
    """A database of this module's own."""
    name = f"{settings.database}_http"
    http.post("/", content=f"CREATE DATABASE IF NOT EXISTS {name}").raise_for_status()
    return name


@pytest.fixture(scope="module")
def table(http: httpx.Client, scratch: str) -> str:
    name = f"{scratch}.t"
    http.post(
        "/", content=f"CREATE TABLE {name} (id UInt32, s String) ENGINE = MergeTree ORDER BY id"
    ).raise_for_status()
    http.post(
        "/", params={"query": f"INSERT INTO {name} FORMAT CSV"}, content=b"1,a\n2,b\n3,c\n"
    ).raise_for_status()
    return name


def test_ping_and_root(http: httpx.Client) -> None:
    assert http.get("/ping").text == "Ok.\n"
    assert http.get("/").text == "Ok.\n"
    assert http.get("/nope").status_code == 404


TEXT_FORMATS = {
    "TabSeparated": "1\ta\n2\tb\n",
    "TabSeparatedWithNames": "id\ts\n1\ta\n2\tb\n",
    "CSV": '1,"a"\n2,"b"\n',
    "CSVWithNames": '"id","s"\n1,"a"\n2,"b"\n',
    "JSONEachRow": '{"id":1,"s":"a"}\n{"id":2,"s":"b"}\n',
}


@pytest.mark.parametrize("fmt", sorted(TEXT_FORMATS))
def test_text_formats_by_clause_and_by_default_format(http: httpx.Client, table: str, fmt: str) -> None:
    by_clause = http.post("/", content=f"SELECT id, s FROM {table} ORDER BY id LIMIT 2 FORMAT {fmt}")
    by_param = http.post(
        "/", params={"default_format": fmt}, content=f"SELECT id, s FROM {table} ORDER BY id LIMIT 2"
    )
    for response in (by_clause, by_param):
        assert response.status_code == 200, response.text
        assert response.text == TEXT_FORMATS[fmt]
        assert response.headers["X-ClickHouse-Format"] == fmt


def test_json_and_json_compact(http: httpx.Client, table: str) -> None:
    full = http.post("/", content=f"SELECT id, s FROM {table} ORDER BY id FORMAT JSON").json()
    assert full["data"] == [{"id": 1, "s": "a"}, {"id": 2, "s": "b"}, {"id": 3, "s": "c"}]
    assert full["rows"] == 3 and [m["name"] for m in full["meta"]] == ["id", "s"]
    compact = http.post("/", content=f"SELECT id, s FROM {table} ORDER BY id FORMAT JSONCompact").json()
    assert compact["data"] == [[1, "a"], [2, "b"], [3, "c"]]


def test_binary_formats(http: httpx.Client, table: str) -> None:
    parquet = http.post("/", content=f"SELECT id, s FROM {table} ORDER BY id FORMAT Parquet").content
    assert pq.read_table(io.BytesIO(parquet)).to_pydict() == {"id": [1, 2, 3], "s": ["a", "b", "c"]}
    arrow = http.post("/", content=f"SELECT id, s FROM {table} ORDER BY id FORMAT Arrow").content
    assert pa.ipc.open_file(io.BytesIO(arrow)).read_all().to_pydict() == {
        "id": [1, 2, 3],
        "s": ["a", "b", "c"],
    }
    row_binary = http.post("/", content="SELECT toUInt32(7) FORMAT RowBinary").content
    assert row_binary == (7).to_bytes(4, "little")
    native = http.post("/", content="SELECT toUInt8(1) AS x FORMAT Native").content
    assert native.startswith(b"\x01\x01\x01x\x05UInt8")


def test_headers_query_id_summary_timezone(http: httpx.Client, table: str) -> None:
    query_id = str(uuid.uuid4())
    response = http.post(
        "/", params={"query_id": query_id}, content=f"SELECT count() FROM {table} WHERE id > 1"
    )
    assert response.text == "2\n"
    assert response.headers["X-ClickHouse-Query-Id"] == query_id
    assert response.headers["X-ClickHouse-Timezone"]
    summary = json.loads(response.headers["X-ClickHouse-Summary"])
    assert summary["read_rows"] == "3" and summary["result_rows"] == "1"


def test_insert_summary_counts_written_rows(http: httpx.Client, scratch: str) -> None:
    name = f"{scratch}.written"
    http.post(
        "/", content=f"CREATE TABLE {name} (id UInt32) ENGINE = MergeTree ORDER BY id"
    ).raise_for_status()
    response = http.post("/", params={"query": f"INSERT INTO {name} FORMAT TSV"}, content=b"1\n2\n3\n4\n")
    assert json.loads(response.headers["X-ClickHouse-Summary"])["written_rows"] == "4"


def test_query_parameters_and_settings_from_the_url(http: httpx.Client) -> None:
    assert (
        http.get("/", params={"query": "SELECT {a:UInt8} + {b:UInt8}", "param_a": "2", "param_b": "3"}).text
        == "5\n"
    )
    assert (
        http.get("/", params={"query": "SELECT getSetting('max_threads')", "max_threads": "1"}).text == "1\n"
    )
    # a setting given to one request does not leak into the next
    assert http.get("/", params={"query": "SELECT getSetting('max_threads')"}).text != "1\n"
    limited = http.get("/", params={"query": "SELECT number FROM numbers(10)", "max_result_rows": "2"})
    assert limited.status_code == 500 and "TOO_MANY_ROWS_OR_BYTES" in limited.text


def test_database_parameter(http: httpx.Client, table: str, scratch: str) -> None:
    response = http.get("/", params={"query": "SELECT count() FROM t", "database": scratch})
    assert response.text == "3\n"


def test_statement_split_between_url_and_body(http: httpx.Client) -> None:
    assert http.post("/", params={"query": "SELECT 1 +"}, content=b"2").text == "3\n"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd", "lz4"])
def test_compressed_request_bodies(http: httpx.Client, scratch: str, coding: str) -> None:
    name = f"{scratch}.coded_{coding}"
    http.post(
        "/", content=f"CREATE TABLE {name} (id UInt32) ENGINE = MergeTree ORDER BY id"
    ).raise_for_status()
    body = compression.encode(b"".join(f"{i}\n".encode() for i in range(1000)), coding)
    insert = http.post(
        "/",
        params={"query": f"INSERT INTO {name} FORMAT TSV"},
        content=body,
        headers={"Content-Encoding": coding},
    )
    assert insert.status_code == 200, insert.text
    whole = compression.encode(f"SELECT count() FROM {name}".encode(), coding)
    assert http.post("/", content=whole, headers={"Content-Encoding": coding}).text == "1000\n"


def test_compressed_response_when_asked(http: httpx.Client) -> None:
    response = http.get(
        "/",
        params={"query": "SELECT number FROM numbers(1000)", "enable_http_compression": "1"},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.text.splitlines()[-1] == "999"


def test_insert_with_data_in_the_body_after_the_statement(http: httpx.Client, scratch: str) -> None:
    name = f"{scratch}.inline"
    http.post(
        "/", content=f"CREATE TABLE {name} (id UInt32, s String) ENGINE = MergeTree ORDER BY id"
    ).raise_for_status()
    http.post(
        "/", content=f"INSERT INTO {name} FORMAT JSONEachRow\n" + '{"id": 1, "s": "FORMAT x"}'
    ).raise_for_status()
    http.post("/", content=f"INSERT INTO {name} VALUES (2, 'y'), (3, 'z')").raise_for_status()
    chunks = iter([b"4,d\n", b"5,e\n"])
    http.post("/", params={"query": f"INSERT INTO {name} FORMAT CSV"}, content=chunks).raise_for_status()
    assert http.post("/", content=f"SELECT groupArray(s) FROM (SELECT s FROM {name} ORDER BY id)").text == (
        "['FORMAT x','y','z','d','e']\n"
    )


@pytest.mark.parametrize(
    ("sql", "status", "name"),
    [
        ("SELEC 1", 400, "SYNTAX_ERROR"),
        ("SELECT * FROM eventhouse_missing.t", 404, "UNKNOWN_DATABASE"),
        ("SELECT no_such_function()", 404, "UNKNOWN_FUNCTION"),
        ("SELECT throwIf(1, 'boom')", 500, "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO"),
    ],
)
def test_errors_use_clickhouse_text_code_and_status(
    http: httpx.Client, sql: str, status: int, name: str
) -> None:
    response = http.post("/", content=sql)
    assert response.status_code == status
    assert response.text.startswith("Code: ") and f"({name})" in response.text
    assert response.headers["X-ClickHouse-Exception-Code"] == response.text.split(".")[0].removeprefix(
        "Code: "
    )


def test_get_is_read_only(http: httpx.Client, table: str) -> None:
    response = http.get("/", params={"query": f"INSERT INTO {table} VALUES (9, 'z')"})
    assert response.status_code == 500 and "(READONLY)" in response.text
    assert response.headers["X-ClickHouse-Exception-Code"] == "164"


def test_unknown_content_encoding_is_rejected(http: httpx.Client) -> None:
    response = http.post("/", content=b"SELECT 1", headers={"Content-Encoding": "snappy"})
    assert response.status_code == 415


def test_a_session_is_used_by_one_request_at_a_time(http: httpx.Client, warehouse_url: str) -> None:
    session = f"s-{uuid.uuid4()}"
    http.post(
        "/", params={"session_id": session}, content="CREATE TEMPORARY TABLE tmp (x UInt8)"
    ).raise_for_status()
    http.post("/", params={"session_id": session}, content="INSERT INTO tmp VALUES (1)").raise_for_status()
    assert http.post("/", params={"session_id": session}, content="SELECT count() FROM tmp").text == "1\n"
    assert http.post("/", content="SELECT count() FROM tmp").status_code == 404


def test_url_settings_last_one_request_even_in_a_session(http: httpx.Client) -> None:
    """clickhouse-connect sends every request in a session: its per-insert settings (e.g. a dedup
    token) must not stick to the session, while the session's own SET statements do."""
    session = {"session_id": f"s-{uuid.uuid4()}"}
    query = "SELECT getSetting('insert_deduplication_token'), getSetting('max_threads')"
    with_url = http.get(
        "/", params={**session, "query": query, "insert_deduplication_token": "tok", "max_threads": "3"}
    )
    assert with_url.text == "tok\t3\n"
    http.post("/", params=session, content="SET max_threads = 1").raise_for_status()
    assert http.get("/", params={**session, "query": query}).text == "\t1\n"
    assert http.get("/", params={**session, "query": query, "max_threads": "2"}).text == "\t2\n"
    assert http.get("/", params={**session, "query": query}).text == "\t1\n"
    http.post("/", params=session, content="USE system").raise_for_status()
    assert http.get("/", params={**session, "query": "SELECT currentDatabase()"}).text == "system\n"
    assert http.get("/", params={"query": "SELECT currentDatabase()"}).text == "default\n"
