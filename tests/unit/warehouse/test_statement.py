"""Routing statements without parsing SQL: INSERT data boundaries, output formats, first keywords."""

from __future__ import annotations

import pytest

from warehouse.embedded.statement import InsertSplit, leading_keyword, output_format, split_insert


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"INSERT INTO t (a, b) FORMAT Native\n\x00\n\x01",
            InsertSplit(b"INSERT INTO t (a, b)", "Native", 35),
        ),
        (b"insert into t format JSONEachRow {}", InsertSplit(b"insert into t", "JSONEachRow", 33)),
        (b"INSERT INTO t FORMAT TSV  \r\n1\t2", InsertSplit(b"INSERT INTO t", "TSV", 28)),
        (
            b"INSERT INTO t SETTINGS format_csv_delimiter = ';' FORMAT CSV\n1;2",
            InsertSplit(b"INSERT INTO t SETTINGS format_csv_delimiter = ';'", "CSV", 61),
        ),
        (b"INSERT INTO t VALUES (1, 'FORMAT CSV')", InsertSplit(b"INSERT INTO t", "Values", 20)),
        (
            b"INSERT INTO FUNCTION file('x.csv', 'CSV', 'a UInt8') FORMAT CSV\n1",
            InsertSplit(b"INSERT INTO FUNCTION file('x.csv', 'CSV', 'a UInt8')", "CSV", 64),
        ),
        (
            b"/* FORMAT x */ INSERT INTO t -- FORMAT y\n FORMAT RowBinary\n",
            InsertSplit(b"/* FORMAT x */ INSERT INTO t -- FORMAT y", "RowBinary", 59),
        ),
        (b"INSERT INTO t", InsertSplit(b"INSERT INTO t", "Values", 13)),
    ],
)
def test_split_insert_finds_the_head_format_and_data(text: bytes, expected: InsertSplit) -> None:
    assert split_insert(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        b"INSERT INTO t SELECT 1",
        b"INSERT INTO t WITH 1 AS x SELECT x",
        b"SELECT 1 FORMAT CSV",
        b"",
        b"CREATE TABLE t",
    ],
)
def test_statements_without_inline_data_are_not_split(text: bytes) -> None:
    assert split_insert(text) is None


def test_output_format_is_the_top_level_clause_only() -> None:
    assert output_format(b"SELECT 'FORMAT JSON' FROM t FORMAT JSONEachRow SETTINGS a = 1") == "JSONEachRow"
    assert output_format(b"SELECT (SELECT 1 FORMAT TSV)") is None
    assert output_format(b"SELECT `FORMAT` FROM t") is None


def test_leading_keyword_skips_comments_and_whitespace() -> None:
    assert leading_keyword(b"  -- note\n /* x */ select 1") == "SELECT"
    assert leading_keyword(b"# note\nSET a = 1") == "SET"
    assert leading_keyword(b"") == ""
