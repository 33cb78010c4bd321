"""Iglu schema keys (`iglu:vendor/name/format/M-R-A`) and their SchemaVer versions.

SchemaVer orders versions as MODEL-REVISION-ADDITION; comparing the integer triple (never the text)
keeps `1-0-10` newer than `1-0-9`.
"""

from __future__ import annotations

import re

import msgspec

_VERSION = re.compile(r"(?P<model>[1-9][0-9]*)-(?P<revision>0|[1-9][0-9]*)-(?P<addition>0|[1-9][0-9]*)")
_URI = re.compile(
    r"iglu:(?P<vendor>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_-]+)/(?P<format>[A-Za-z0-9_-]+)/(?P<version>[0-9-]+)"
)

SchemaVer = tuple[int, int, int]
"""(MODEL, REVISION, ADDITION)."""


def parse_schemaver(version: str) -> SchemaVer:
    """`"1-0-2"` -> `(1, 0, 2)`; ValueError for anything SchemaVer does not allow (`0-1-0`, `1-01-0`)."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ValueError(f"{version!r} is not a SchemaVer version (MODEL-REVISION-ADDITION, e.g. 1-0-0)")
    return int(match["model"]), int(match["revision"]), int(match["addition"])


class SchemaKey(msgspec.Struct, frozen=True):
    """The identity of one schema version, as written in an event's `schema` field."""

    vendor: str
    name: str
    format: str
    version: str

    @classmethod
    def parse(cls, uri: str) -> SchemaKey:
        """Parse `iglu:vendor/name/format/M-R-A`; ValueError names what is wrong."""
        match = _URI.fullmatch(uri)
        if match is None:
            raise ValueError(f"{uri!r} is not an Iglu schema URI (iglu:vendor/name/jsonschema/M-R-A)")
        parse_schemaver(match["version"])
        return cls(match["vendor"], match["name"], match["format"], match["version"])

    @property
    def uri(self) -> str:
        return f"iglu:{self.vendor}/{self.name}/{self.format}/{self.version}"

    @property
    def schemaver(self) -> SchemaVer:
        return parse_schemaver(self.version)

    @property
    def path(self) -> str:
        """Where the schema lives below the schemas root: `vendor/name/format/M-R-A`."""
        return f"{self.vendor}/{self.name}/{self.format}/{self.version}"

    @property
    def family(self) -> tuple[str, str, str]:
        """Every version of one schema shares its family: (vendor, name, format)."""
        return self.vendor, self.name, self.format
