"""Reading just enough of a ClickHouse statement to route it: never parsing or rewriting SQL.

The HTTP interface must know three things the engine itself decides later: whether a statement
is an INSERT whose data follows it (and where that data starts), which output format a query
asked for, and its leading keyword. A small lexer that skips strings, quoted identifiers and
comments finds the top-level keywords; everything else is left to the chdb engine.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(rb"[0-9][0-9A-Za-z_.]*")

READ_ONLY_KEYWORDS = frozenset({"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN", "CHECK"})


@dataclasses.dataclass(frozen=True)
class Token:
    word: str  # upper-cased keyword or identifier; '' for punctuation
    start: int
    end: int
    depth: int  # parenthesis depth at the token


def _skip_quoted(text: bytes, pos: int, quote: int) -> int:
    """Index just past the closing quote of the literal starting at `pos`."""
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == 0x5C:  # backslash escapes the next byte
            i += 2
            continue
        if ch == quote:
            if i + 1 < len(text) and text[i + 1] == quote:  # doubled quote inside the literal
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)


def iter_tokens(text: bytes) -> Iterator[Token]:
    """The words and punctuation of `text` with their parenthesis depth, skipping literals."""
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in b" \t\r\n\f":
            i += 1
        elif text.startswith(b"--", i) or ch == 0x23:  # -- and # comments run to end of line
            j = text.find(b"\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith(b"/*", i):
            j = text.find(b"*/", i + 2)
            i = n if j < 0 else j + 2
        elif ch in b"'\"`":
            i = _skip_quoted(text, i, ch)
        elif ch == 0x28:  # (
            depth += 1
            i += 1
        elif ch == 0x29:  # )
            depth -= 1
            i += 1
        elif (m := _WORD.match(text, i)) is not None:
            yield Token(m.group().decode().upper(), m.start(), m.end(), depth)
            i = m.end()
        elif (m := _NUMBER.match(text, i)) is not None:
            i = m.end()
        else:
            yield Token("", i, i + 1, depth)
            i += 1


def leading_keyword(text: bytes) -> str:
    """The statement's first keyword ('SELECT', 'INSERT', ...), or '' for an empty statement."""
    first = next(iter_tokens(text), None)
    return first.word if first else ""


@dataclasses.dataclass(frozen=True)
class InsertSplit:
    """An INSERT whose rows arrive as data: the statement head, the data format, where data starts."""

    head: bytes  # e.g. b"INSERT INTO t (a, b)", without FORMAT/VALUES
    data_format: str
    data_start: int  # offset of the first data byte in the text that was split


def split_insert(text: bytes, default_format: str = "Values") -> InsertSplit | None:
    """Split an INSERT that carries data after its head; None for INSERT ... SELECT and others.

    Data begins after `FORMAT <name>` the way ClickHouse reads it: after the first newline
    following the format name, or else after the whitespace that follows it. `VALUES` data starts
    right at the keyword's end. An INSERT with neither reads its data in `default_format`.
    """
    toks = iter_tokens(text)
    first = next(toks, None)
    if first is None or first.word != "INSERT":
        return None
    for tok in toks:
        if tok.depth != 0:
            continue
        if tok.word in ("SELECT", "WITH"):
            return None
        if tok.word == "VALUES":
            return InsertSplit(text[: tok.start].rstrip(), "Values", tok.end)
        if tok.word == "FORMAT":
            name = _WORD.match(text, _skip_blanks(text, tok.end))
            if name is None:
                return None
            return InsertSplit(
                text[: tok.start].rstrip(), name.group().decode(), _data_start(text, name.end())
            )
    return InsertSplit(text.rstrip(), default_format, len(text))


def _skip_blanks(text: bytes, pos: int) -> int:
    while pos < len(text) and text[pos] in b" \t\r\n":
        pos += 1
    return pos


def _data_start(text: bytes, pos: int) -> int:
    i = pos
    while i < len(text) and text[i] in b" \t\r":
        i += 1
    if i < len(text) and text[i] == 0x0A:
        return i + 1
    return i


def output_format(text: bytes) -> str | None:
    """The format named by a top-level `FORMAT` clause of a query, if it has one."""
    toks = list(iter_tokens(text))
    for tok, nxt in itertools.pairwise(toks):
        if tok.word == "FORMAT" and tok.depth == 0 and nxt.word:
            return text[nxt.start : nxt.end].decode()
    return None
