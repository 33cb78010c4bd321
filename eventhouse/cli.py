"""The `eventhouse` command: one entry point for the everyday tasks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eventhouse.settings import get_settings


def _warehouse_serve(args: argparse.Namespace) -> int:
    from warehouse.embedded.server import DataDirInUse, serve

    data_dir = Path(args.data_dir) if args.data_dir else get_settings().warehouse_dir
    try:
        serve(args.host, args.port, data_dir.absolute(), args.connections)
    except DataDirInUse as exc:
        print(f"eventhouse warehouse: {exc}", file=sys.stderr)
        return 2
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from warehouse.client import connect
    from warehouse.migrate import migrate

    applied = migrate(connect(), get_settings())
    print(
        f"eventhouse migrate: {len(applied)} migration(s) applied"
        + (f": {', '.join(applied)}" if applied else "")
    )
    return 0


def _up(args: argparse.Namespace) -> int:
    from eventhouse.up import up

    return up()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventhouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    warehouse = commands.add_parser("warehouse", help="the embedded ClickHouse warehouse")
    warehouse_commands = warehouse.add_subparsers(dest="warehouse_command", required=True)
    serve = warehouse_commands.add_parser("serve", help="serve ClickHouse's HTTP interface over chdb")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8123)
    serve.add_argument("--data-dir", help="default: $EVENTHOUSE_DATA_DIR/warehouse")
    serve.add_argument("--connections", type=int, default=4, help="engine connections serving in parallel")
    serve.set_defaults(handler=_warehouse_serve)

    migrate = commands.add_parser("migrate", help="apply the warehouse migrations (idempotent)")
    migrate.set_defaults(handler=_migrate)

    commands.add_parser("up", help="start the whole platform on its embedded defaults").set_defaults(handler=_up)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
