"""The `eventhouse` command: one entry point for the everyday tasks."""

from __future__ import annotations

import argparse
import contextlib
import json
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


def _api(args: argparse.Namespace) -> int:
    from ingest_api.serve import serve

    settings = get_settings()
    serve(
        settings,
        args.host or settings.api_host,
        args.port or settings.api_port,
        args.workers or settings.api_workers,
    )
    return 0


def _tenants_create(args: argparse.Namespace) -> int:
    from ingest_api.tenants import create_tenant
    from warehouse.client import connect

    created = create_tenant(
        connect(), get_settings().database, args.name, args.origin, args.site, args.tenant_id
    )
    if args.json:
        print(json.dumps(created))
    else:
        print(f"tenant {created['tenant_id']} ({args.name}) created; keys are shown only once:")
        print(f"  write key: {created['write_key']}")
        print(f"  read key:  {created['read_key']}")
    return 0


def _keys_rotate(args: argparse.Namespace) -> int:
    from ingest_api.tenants import UnknownKey, rotate_keys
    from warehouse.client import connect

    try:
        key = rotate_keys(connect(), get_settings().database, args.tenant_id, args.kind)
    except UnknownKey as exc:
        print(f"eventhouse keys: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"tenant_id": args.tenant_id, f"{args.kind}_key": key}) if args.json else key)
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    from ingest_api.tenants import UnknownKey, revoke_key
    from warehouse.client import connect

    try:
        count = revoke_key(connect(), get_settings().database, args.key)
    except UnknownKey as exc:
        print(f"eventhouse keys: {exc}", file=sys.stderr)
        return 1
    print(f"revoked {count} key(s)")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from eventhouse.demo import DEMO_TENANT, demo_keys, run
    from warehouse.client import connect

    settings = get_settings()
    keys = demo_keys(connect(settings), settings.database)
    print(f"eventhouse demo: tenant {DEMO_TENANT}; read key {keys['read_key']}", flush=True)
    print(
        f"eventhouse demo: open http://{settings.api_host}:{settings.api_port}/dashboard and sign in with it",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        run(settings, keys["write_key"], args.rate)
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

    api = commands.add_parser("api", help="serve the ingestion and report API (applies migrations first)")
    api.add_argument("--host", help="default: $EVENTHOUSE_API_HOST (127.0.0.1)")
    api.add_argument("--port", type=int, help="default: $EVENTHOUSE_API_PORT (8000)")
    api.add_argument("--workers", type=int, help="default: $EVENTHOUSE_API_WORKERS (1)")
    api.set_defaults(handler=_api)

    tenants = commands.add_parser("tenants", help="manage tenants").add_subparsers(
        dest="tenants_command", required=True
    )
    create = tenants.add_parser(
        "create", help="create a tenant and print its write and read keys (shown once)"
    )
    create.add_argument("name")
    create.add_argument("--origin", action="append", default=[], help="allowed browser origin (repeatable)")
    create.add_argument("--site", action="append", default=[], help="allowed site id (repeatable)")
    create.add_argument("--tenant-id", help="use this id instead of a generated one")
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(handler=_tenants_create)

    keys = commands.add_parser("keys", help="rotate or revoke API keys").add_subparsers(
        dest="keys_command", required=True
    )
    rotate = keys.add_parser("rotate", help="issue a new key for a tenant and revoke its old ones")
    rotate.add_argument("tenant_id")
    rotate.add_argument("--kind", choices=["write", "read"], default="write")
    rotate.add_argument("--json", action="store_true", help="print JSON")
    rotate.set_defaults(handler=_keys_rotate)
    revoke = keys.add_parser("revoke", help="revoke a key, given whole or by its 8-character prefix")
    revoke.add_argument("key")
    revoke.set_defaults(handler=_keys_revoke)

    demo = commands.add_parser("demo", help="send demo voice/agent traffic to the local API")
    demo.add_argument("--rate", type=float, default=2.0, help="sessions per second")
    demo.set_defaults(handler=_demo)

    commands.add_parser("up", help="start the whole platform on its embedded defaults").set_defaults(
        handler=_up
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
