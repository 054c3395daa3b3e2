"""`hrtui backup | verify | restore | export`: argparse glue over hrtui.transfer.backup and .export.

Imported only when the command line names one of these commands (hrtui.commands.MODULES); the work itself is
imported inside each command, so `--help` stays light.
"""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from hrtui.errors import UserError
from hrtui.transfer.files import human_size


def _plain_errors(func):
    """OSError and age errors as one line (which file, what went wrong), like every other hrtui failure."""

    @functools.wraps(func)
    def run(args) -> int:
        from hrtui.crypto.errors import AgeError

        try:
            return func(args)
        except AgeError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise UserError(f"{where}{exc.strerror or exc}") from None

    return run


def _progress(label: str):
    """A one-line progress meter on stderr when it is a terminal (cron's mail stays clean)."""
    if not sys.stderr.isatty():
        return None
    state = {"shown": -1}

    def report(phase: str, fraction: float) -> None:
        pct = int(fraction * 100)
        if pct != state["shown"]:
            state["shown"] = pct
            end = "\n" if phase == "done" else ""
            print(f"\r{label}: {pct:3d}% {phase:<8}", end=end, file=sys.stderr, flush=True)

    return report


def _identities(args):
    from hrtui.crypto import age
    from hrtui.transfer.backup import identities_for

    if args.passphrase_file is not None:
        return None, age.read_passphrase_file(args.passphrase_file)
    return identities_for(args.identity), None


@_plain_errors
def cmd_backup(args) -> int:
    from hrtui.cli import db_path, open_session
    from hrtui.transfer.backup import now_local, run_backup

    path = db_path(args)
    actor = open_session(args)
    out = run_backup(actor, path, folder=args.dir, recipients=args.to, weekly=args.weekly, keep=args.keep,
                     now=now_local(args.now), progress=_progress("backup"))
    if out.path is None:
        print(f"this week's backup exists: {out.existing.path} (nothing to do)")
        return 0
    print(f"backup written: {out.path} ({human_size(out.size)})")
    for gone in out.pruned:
        print(f"pruned: {gone}")
    return 0


@_plain_errors
def cmd_verify(args) -> int:
    from hrtui.cli import db_path, open_session
    from hrtui.transfer.backup import RestoreRefused, verify_backup

    path = db_path(args)
    actor = open_session(args)
    identities, passphrase = _identities(args)
    try:
        info = verify_backup(actor, path, args.file, identities=identities, passphrase=passphrase,
                             progress=_progress("verify"))
    except RestoreRefused as exc:
        raise UserError(f"verify failed: {exc}") from None
    print(f"ok: {args.file} decrypts and passes the integrity check; {info.summary}")
    return 0


def _confirm(path: Path, source: Path) -> None:
    if not sys.stdin.isatty():
        return
    answer = input(f"Replace {path} with the backup {source.name}? The current database is kept aside. [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise UserError("restore cancelled; nothing was changed")


@_plain_errors
def cmd_restore(args) -> int:
    from hrtui.access.actor import authenticate, default_user_name
    from hrtui.access.policy import require
    from hrtui.cli import db_path, open_session, read_password
    from hrtui.store.db import database
    from hrtui.transfer.backup import RestoreRefused, prepare_restore, refuse

    path = db_path(args)
    identities, passphrase = _identities(args)
    actor = None
    if path.exists():
        actor = open_session(args)
        require(actor, "write", "backup")
    if not args.yes:
        _confirm(path, args.file)
    try:
        prepared = prepare_restore(args.file, path, identities=identities, passphrase=passphrase,
                                   progress=_progress("restore"))
    except RestoreRefused as exc:
        if actor is not None:
            refuse(actor, args.file, exc)
        raise UserError(f"restore refused: {exc}; nothing was changed") from None
    try:
        if actor is None:
            # No database here yet (a new machine): the account is checked against the backup's own users.
            database.initialize(prepared.db)
            name = default_user_name(args.user)
            actor = authenticate(name, read_password(f"Password for {name}: "))
            require(actor, "write", "backup")
        prepared.record(actor.name)
        prepared.release()
        database.close()  # the session's connection to the current database: swap() needs it alone
        aside = prepared.swap(path)
    finally:
        prepared.discard()
    print(f"restored {path} from {args.file} ({prepared.info.summary})")
    if aside is not None:
        print(f"the previous database is kept as {aside}")
    return 0


@_plain_errors
def cmd_export(args) -> int:
    from hrtui.cli import open_session
    from hrtui.crypto import age
    from hrtui.transfer.export import export

    recipients = passphrase = None
    if args.passphrase_file is not None:
        passphrase = age.read_passphrase_file(args.passphrase_file)
    else:
        recipients = args.to
    actor = open_session(args)
    result = export(actor, args.file, fmt=args.format, recipients=recipients, passphrase=passphrase,
                    force=args.force)
    people, scores = result.counts.get("employee", 0), result.counts.get("score", 0)
    print(f"export written: {result.path} ({args.format}, {human_size(result.size)}; "
          f"{people} employees, {scores} scores)")
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    from hrtui.cli import whole_number

    p = subparsers.add_parser(
        "backup", parents=[common], help="encrypted backup of the whole database (admins)",
        description="Copy the database (consistent snapshot), check its integrity and encrypt it with age to the "
                    "recipients of settings.toml [backup] (or --to) as DIR/NAME-YYYYMMDDTHHMMSS.db.age.")
    p.add_argument("--dir", type=Path, help="backup folder (default: [backup] dir, else backups/ beside the database)")
    p.add_argument("--weekly", action="store_true", help="do nothing when this ISO week already has a backup (cron)")
    p.add_argument("--keep", type=whole_number(0, "0 (keep all) or more"), metavar="N",
                   help="keep the newest N backups, delete older ones")
    p.add_argument("--to", action="append", metavar="RECIPIENT", help="age1… recipient (repeat); overrides settings")
    p.add_argument("--now", metavar="ISO", help="take the backup as of this local date-time (tests, scripted runs)")
    p.set_defaults(func=cmd_backup)

    for name, helptext in (("verify", "decrypt a backup and check it, changing nothing"),
                           ("restore", "replace the database with a backup (admins; the current one is kept aside)")):
        p = subparsers.add_parser(name, parents=[common], help=helptext, description=helptext[0].upper() + helptext[1:]
                                  + ". The identity defaults to [backup] identity, else the `hrtui keygen` file.")
        p.add_argument("file", type=Path, metavar="FILE")
        key = p.add_mutually_exclusive_group()
        key.add_argument("-i", "--identity", action="append", type=Path, metavar="F",
                         help="age identity file (mode 0600); repeat for several")
        key.add_argument("--passphrase-file", type=Path, metavar="F", help="for a passphrase-encrypted file")
        if name == "restore":
            p.add_argument("--yes", action="store_true", help="do not ask for confirmation in a terminal")
            p.set_defaults(func=cmd_restore)
        else:
            p.set_defaults(func=cmd_verify)

    p = subparsers.add_parser(
        "export", parents=[common], help="encrypted export of the records in your scope",
        description="Write the employees you can see, with their scores, attendance, leave, training and projects, "
                    "as one age-encrypted file: JSON, or a zip of CSV files (UTF-8 with BOM) with --format csv.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    to = p.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", action="append", metavar="RECIPIENT", help="age1… recipient; repeat for several")
    to.add_argument("--passphrase-file", type=Path, metavar="F", help="a file (mode 0600) whose first line is the "
                                                                         "passphrase")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_export)
