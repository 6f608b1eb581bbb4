"""The `registry` command: serve, migrate, load the demo, manage users, tokens and the ledger."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Command = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "registry.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=args.proxy_headers,
        log_level="warning",
        access_log=False,
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from registry.migrate import migrate

    report = asyncio.run(migrate())
    ran = [line.strip() for line in report.splitlines() if "[forwards]" in line]
    print(
        f"Đã áp dụng {len(ran)} migration / applied {len(ran)} migrations"
        if ran
        else "Cơ sở dữ liệu đã cập nhật / database is up to date"
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from registry.demo_province import load_demo, load_synthetic

    if args.scale is not None:
        counts = asyncio.run(load_synthetic(args.scale, seed=args.seed, progress=_progress))
    else:
        counts = asyncio.run(load_demo(progress=_progress, only_if_empty=args.if_empty))
    for name, count in counts.items():
        print(f"  {name}: {count}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu / password: ")
        if getpass.getpass("Nhập lại / again: ") != password:
            raise SystemExit("Mật khẩu không khớp / passwords do not match")
    return password


def _create_user(args: argparse.Namespace) -> int:
    from registry.accounts.services import create_account

    password = _read_password(args)
    roles = [("admin", "*")] if args.admin else []
    for role_spec in args.role or []:
        role, _, unit = role_spec.partition("@")
        roles.append((role, unit or "*"))
    account = asyncio.run(
        create_account(
            username=args.username,
            password=password,
            roles=roles,
            official_code=args.official,
            language=args.language,
        )
    )
    print(f"Đã tạo tài khoản / created account: {account.username}")
    return 0


def _token_create(args: argparse.Namespace) -> int:
    from registry.accounts.tokens import create_token

    token = asyncio.run(create_token(args.user, args.scope, args.name or ""))
    print(token)
    return 0


def _import(args: argparse.Namespace) -> int:
    from registry.importing.service import import_file

    report = asyncio.run(
        import_file(args.kind, Path(args.file), dry_run=args.dry_run, progress=_progress)
    )
    print(report.summary())
    for problem in report.problems[:200]:
        print(f"  {problem}", file=sys.stderr)
    return 0 if not report.problems else 1


def _export(args: argparse.Namespace) -> int:
    from registry.organisation.exporting import export_kind

    text = asyncio.run(export_kind(args.kind, args.format))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _policy_rebuild(args: argparse.Namespace) -> int:
    from registry.authz.projection import rebuild_policy

    difference = asyncio.run(rebuild_policy(apply=not args.check))
    print(difference.summary())
    return 0 if difference.empty or not args.check else 1


def _ledger_verify(args: argparse.Namespace) -> int:
    from registry.ledger.verify import verify_stored_ledger

    result = asyncio.run(verify_stored_ledger(progress=_progress))
    print(result.summary())
    return 0 if result.ok else 1


def _ledger_replay(args: argparse.Namespace) -> int:
    from registry.ledger.replay import replay_into

    summary = asyncio.run(replay_into(args.target, progress=_progress))
    print(summary)
    return 0


def _acts_import(args: argparse.Namespace) -> int:
    from registry.acts.importing import import_acts_file

    report = asyncio.run(import_acts_file(Path(args.file), progress=_progress))
    print(report.summary())
    for problem in report.problems[:200]:
        print(f"  {problem}", file=sys.stderr)
    return 0 if not report.problems else 1


def _backup(args: argparse.Namespace) -> int:
    from registry.ops.backup import BackupError, backup

    try:
        print(asyncio.run(backup(Path(args.target))))
    except BackupError as exc:
        print(f"Sao lưu thất bại / backup failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _restore(args: argparse.Namespace) -> int:
    from registry.ops.backup import BackupError, restore

    try:
        report = asyncio.run(restore(Path(args.source)))
    except BackupError as exc:
        print(f"Khôi phục thất bại / restore failed: {exc}", file=sys.stderr)
        return 1
    print(report)
    return 0 if report.verified is not False else 1


def _progress(label: str, done: int, total: int | None) -> None:
    """A one-line progress bar on stderr; silent when stderr is not a terminal (except the end)."""
    if total:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r{label:<14} [{bar}] {done}/{total}"
    else:
        line = f"\r{label:<14} {done}"
    if sys.stderr.isatty() or done == total:
        sys.stderr.write(line + ("\n" if done == total else ""))
        sys.stderr.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="registry",
        description="Sổ đăng ký phân quyền, phân cấp, ủy quyền / Registry of delegated authority",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Command, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    p = command("serve", _serve, "Serve the registry over HTTP with uvicorn.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-* headers")

    command("migrate", _migrate, "Apply database migrations (SQLite or PostgreSQL).")

    p = command("demo", _demo, "Load the demo province (idempotent), or a synthetic data set.")
    p.add_argument("--scale", type=float, default=None, help="synthetic province (1 = full)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--if-empty", action="store_true", help="only when the database is empty")

    p = command("create-user", _create_user, "Create an account; the password is prompted.")
    p.add_argument("username")
    p.add_argument("--admin", action="store_true", help="grant the admin role everywhere")
    p.add_argument("--role", action="append", help="ROLE@UNIT, e.g. leader@UBND-T (repeatable)")
    p.add_argument("--official", help="link the account to an official code (CB-0001)")
    p.add_argument("--language", default="vi", choices=["vi", "en"])
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    token = sub.add_parser("token", help="API tokens for machine clients.")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    p = token_sub.add_parser("create", help="Create a token and print it once.")
    p.set_defaults(handler=_token_create)
    p.add_argument("--user", required=True)
    p.add_argument("--scope", required=True, choices=["check", "read", "write"])
    p.add_argument("--name")

    p = command("import", _import, "Import units, positions, officials, ... from CSV or JSON.")
    p.add_argument(
        "kind",
        choices=[
            "units",
            "positions",
            "officials",
            "assignments",
            "powers",
            "instruments",
            "grants",
        ],
    )
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="report what would change, store nothing")

    p = command("export", _export, "Export units, positions, ... in the import format.")
    p.add_argument(
        "kind", choices=["units", "positions", "officials", "assignments", "powers", "instruments"]
    )
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--output", "-o")

    policy = sub.add_parser("policy", help="The Casbin policy projection.")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    p = policy_sub.add_parser("rebuild", help="Recompute the policy rows from the state tables.")
    p.set_defaults(handler=_policy_rebuild)
    p.add_argument("--check", action="store_true", help="only report the difference")

    ledger = sub.add_parser("ledger", help="The public ledger.")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True)
    p = ledger_sub.add_parser("verify", help="Recompute every hash and check every checkpoint.")
    p.set_defaults(handler=_ledger_verify)
    p = ledger_sub.add_parser("replay", help="Rebuild the public state from the ledger alone.")
    p.set_defaults(handler=_ledger_replay)
    p.add_argument("target", help="database URL of an empty database to rebuild into")

    p = command("backup", _backup, "Back up the database (SQLite online backup or pg_dump).")
    p.add_argument("target", help="file to write")
    p = command("restore", _restore, "Restore a backup into the configured (empty) database.")
    p.add_argument("source", help="backup file")

    acts = sub.add_parser("acts", help="Signed acts.")
    acts_sub = acts.add_subparsers(dest="acts_command", required=True)
    p = acts_sub.add_parser("import", help="Import and trace signed acts from CSV or JSON.")
    p.set_defaults(handler=_acts_import)
    p.add_argument("file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from registry.errors import RegistryError

    args: Any = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except RegistryError as exc:
        for reason in exc.reasons:
            print(
                f"{reason.code}: {reason.message('vi')} / {reason.message('en')}", file=sys.stderr
            )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
