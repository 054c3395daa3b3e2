"""Command line entry point. Imports no Textual until the TUI opens (cron jobs and scripts stay light)."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from hrtui import __version__
from hrtui.errors import UserError


def whole_number(least: int, bound: str = ""):
    """An argparse `type`: a whole number of at least `least`; `bound` words the limit as the option means it."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be {bound or f'at least {least}'}, got {value}")
        return value

    return parse


class Parser(argparse.ArgumentParser):
    """Usage errors in one line (argparse prints its whole usage block first), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"hrtui: {message} (see: {self.prog} --help)\n")


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Global options, accepted before or after the subcommand (after it, they must not reset what came before)."""
    kw = {"default": argparse.SUPPRESS} if suppress else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="database file (default: $HRTUI_DB or the XDG data dir)", **kw)
    common.add_argument("--user", help="account to act as (default: $HRTUI_USER, else the OS login name)", **kw)
    common.add_argument("--lang", choices=("zh", "en"), help="interface language (default: from LANG)", **kw)
    common.add_argument("--debug", action="store_true", help="show tracebacks", **kw)
    return common


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    common = _common_options(suppress=True)
    parser = Parser(prog="hrtui", parents=[_common_options(suppress=False)],
                                     description="Keyboard-driven HR workspace for the terminal.")
    parser.add_argument("--version", action="version", version=f"hrtui {__version__}")
    from hrtui import commands

    if argv is not None and not {"-h", "--help"} & set(argv) and commands.command_word(argv) is None:
        return parser  # `hrtui [--db …] [--user …]` opens the TUI: no subcommand to build (start-up time)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", parents=[common], help="build a demo database, then open it")
    p.add_argument("--employees", type=whole_number(1), default=240)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--password", default="demo", help="password of the demo accounts (default: demo)")
    p.add_argument("--no-tui", action="store_true", help="build only; do not open the TUI")
    p.add_argument("--force", action="store_true", help="replace an existing database file")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", parents=[common], help="create an empty organisation with one admin account")
    p.add_argument("--admin", required=True, metavar="NAME")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("migrate", parents=[common], help="apply pending schema migrations (a backup is made first)")
    p.set_defaults(func=cmd_migrate)

    for register in commands.registrars(argv):  # only the modules the command line names
        register(sub, common)
    return parser


# -- shared helpers --------------------------------------------------------------------------------------------
def db_path(args) -> Path:
    from hrtui import config

    return Path(args.db) if args.db else config.default_db_path()


def read_password(prompt: str = "Password: ") -> str | None:
    env = os.environ.get("HRTUI_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        import getpass  # only when asking: it loads termios

        return getpass.getpass(prompt)
    return None


def open_session(args, *, need_user: bool = True, meanwhile=None, remember: bool = True, record_login: bool = True):
    """Open the store and log the acting user in; returns the Actor (or None when need_user is False).
    `meanwhile` runs while the password is checked (see `authenticate`); `remember=False` leaves noting the account
    for a later `hrtui` alone to the caller (the TUI does it once its first screen is out); `record_login=False`
    leaves the account's last login as it was (a dry run changes nothing in the database)."""
    from hrtui.access.actor import MustChangePassword, authenticate, default_user_name, find_login
    from hrtui.store import open_store

    path = db_path(args)
    open_store(path)
    if not need_user:
        return None
    name = default_user_name(args.user)
    if not args.user and not os.environ.get("HRTUI_USER") and (name is None or find_login(name) is None):
        last = last_user(path)  # `hrtui` alone after `hrtui demo`: the account that last logged in here
        if last is None or find_login(last) is None:
            raise UserError(f"no account for OS user {name!r}; pass --user NAME or set HRTUI_USER")
        name = last
    password = read_password(f"Password for {name}: ")
    try:
        actor = authenticate(name, password, meanwhile=meanwhile, record_login=record_login)
        if remember:
            remember_user(path, name)
        return actor
    except MustChangePassword:
        if not (sys.stdin.isatty() or os.environ.get("HRTUI_NEW_PASSWORD")):
            raise
        from hrtui.access.commands import change_password, read_new_password

        if not os.environ.get("HRTUI_NEW_PASSWORD"):  # a person about to be asked (a script gets one line at most)
            print(f"The password of {name} was reset by an admin; choose a new one.", file=sys.stderr)
        actor = authenticate(name, password, allow_must_change=True)
        change_password(actor, read_new_password())
        return actor


def _last_user_file():
    from hrtui import config

    return config.config_dir() / "last-user.json"


def last_user(path: Path) -> str | None:
    """The account that last logged in to this database from this OS user (names only; no secrets)."""
    import json

    try:
        return json.loads(_last_user_file().read_text(encoding="utf-8")).get(str(Path(path).resolve()))
    except (OSError, ValueError, AttributeError):
        return None


def remember_user(path: Path, name: str) -> None:
    import json

    from hrtui import config

    file = _last_user_file()
    try:
        known = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        if known.get(str(Path(path).resolve())) == name:
            return
        known[str(Path(path).resolve())] = name
        config.ensure_private_dir(file.parent)
        fd = os.open(f"{file}.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(known, f)
        os.replace(f"{file}.tmp", file)
    except (OSError, ValueError):
        pass  # a convenience: never a reason to refuse a login


def ui_lang(args, actor=None) -> str:
    from hrtui import config
    from hrtui.i18n import default_lang

    try:
        configured = config.load_settings().lang
    except ValueError:
        configured = None
    return default_lang(args.lang or (actor.lang if actor else None), configured)


# -- commands ----------------------------------------------------------------------------------------------------
def cmd_tui(args) -> int:
    gc.disable()  # start-up allocates much and frees little; run_tui freezes what the imports made instead
    try:
        actor = open_session(args, meanwhile=_load_tui, remember=False)
        path = db_path(args)

        def remember() -> None:
            remember_user(path, actor.name)

        try:
            return run_tui(actor, ui_lang(args, actor), ready=remember)
        finally:
            remember()  # a session quit before its first screen settled counts too (a no-op once noted)
    finally:
        gc.enable()


def _load_tui() -> None:
    import hrtui.tui.app  # noqa: F401  (Textual: most of the start-up time, overlapped with the password check)


def run_tui(actor, lang: str, ready=None) -> int:
    """The TUI until the user quits; `ready` runs once the first screen is on the terminal."""
    from hrtui.tui.app import HRApp

    # Modules and classes live as long as the process: move them out of the collector's sight, so that no full
    # collection walks them later, while the user types. The collector stays off until the first screen is on the
    # terminal (the app turns it on then; cmd_tui's `finally` in any case).
    gc.disable()
    gc.freeze()
    HRApp(actor=actor, lang=lang, ready=ready).run()
    return 0


def cmd_demo(args) -> int:
    from hrtui import config
    from hrtui.domain.demo import build_demo
    from hrtui.store import open_store

    path = db_path(args)
    if not args.db:
        config.ensure_private_dir(path.parent)
    if not path.parent.is_dir():
        raise UserError(f"directory {path.parent} does not exist")
    if path.exists() and not args.force:
        raise UserError(f"{path} already exists; pass --force to replace it, or --db another path")
    part = path.with_name(path.name + ".part")
    for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        leftover.unlink(missing_ok=True)
    # Build beside the target and rename at the end: an interrupted demo leaves no half-built database.
    db = open_store(part, create=True)
    # A private .part file until the rename: no WAL copy of every page and no fsyncs while it is being filled
    # (half the disk writes of a 2 GB demo). Back to WAL before it becomes the real database.
    db.execute_sql("PRAGMA journal_mode = MEMORY")
    db.execute_sql("PRAGMA synchronous = OFF")
    try:
        progress = None
        if sys.stderr.isatty():
            def progress(step, frac):
                print(f"\rbuilding demo: {frac * 100:3.0f}% {step:<12}", end="", file=sys.stderr, flush=True)
        result = build_demo(args.employees, seed=args.seed, password=args.password, progress=progress)
        if progress:
            print(file=sys.stderr)
        db.execute_sql("PRAGMA synchronous = NORMAL")
        db.execute_sql("PRAGMA journal_mode = WAL")
    except BaseException:
        db.close()
        for leftover in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    db.close()
    from hrtui.store import keystore

    replaced_key = None
    if path.exists() and path.stat().st_size >= 16 and not keystore.is_plain_sqlite(path):
        replaced_key = keystore.key_path(keystore.salt_of(path))  # the --force'd database's key: useless after
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    os.replace(part, path)
    if replaced_key is not None:
        replaced_key.unlink(missing_ok=True)
    print(f"demo database: {path} ({result.employees} employees)")
    print("accounts (password: %s):" % ("demo" if args.password == "demo" else "as given with --password"))
    for name, role, scope in result.accounts:
        print(f"  {name:<10} {role:<9} {scope}")
    print("planted stories: " + ", ".join(f"{k} {v}" for k, v in result.stories.items()))
    remember_user(path, args.user or "admin")  # so that `hrtui` alone opens the demo as admin next time
    if args.no_tui:
        return 0
    from hrtui.access.actor import authenticate

    open_store(path)
    actor = authenticate(args.user or "admin", args.password)
    remember_user(path, actor.name)
    return run_tui(actor, ui_lang(args, actor))


def cmd_init(args) -> int:
    from hrtui import config
    from hrtui.access.actor import create_user
    from hrtui.domain.organisation import ensure_default_dimensions
    from hrtui.store import open_store
    from hrtui.store.models import User

    path = db_path(args)
    if not args.db:
        config.ensure_private_dir(path.parent)
    if path.exists() and path.stat().st_size:  # an empty file (mktemp) is filled like a new one
        open_store(path)
        if User.select().count():
            raise UserError(f"{path} already holds an organisation")
    password = read_password(f"Password for {args.admin}: ")
    if not password:
        raise UserError("no password: set HRTUI_PASSWORD or run in a terminal")
    if len(password) < 8:
        raise UserError("password too short: use at least 8 characters")
    db = open_store(path, create=True)
    with db.atomic():
        ensure_default_dimensions()
        create_user(args.admin, "admin", password)
    remember_user(path, args.admin)
    print(f"created {path} with admin account {args.admin!r}")
    return 0


def cmd_migrate(args) -> int:
    from hrtui.store import keystore
    from hrtui.store.db import encrypt_in_place, open_db
    from hrtui.store.migrate import upgrade

    path = db_path(args)
    db = open_db(path)
    done = upgrade(db, path)
    print("applied: " + ", ".join(done) if done else "schema is up to date")
    db.close()
    if keystore.is_plain_sqlite(path):
        key_file = encrypt_in_place(path)
        print(f"encrypted {path}; its key is {key_file} (keep it: without it the database cannot be read)")
        plain = [p for p in sorted(path.parent.glob(f"{path.name}.pre-*.bak")) if keystore.is_plain_sqlite(p)]
        for copy in plain:  # the safety copies taken before migrating a plain file are plain too
            print(f"{copy} is the copy taken before migrating, NOT encrypted: delete it once the database checks out")
    return 0


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the user's to act on: one line, no traceback. The crypto leaf has its own base classes."""
    kinds: list[type[BaseException]] = [UserError]
    if "hrtui.crypto.errors" in sys.modules:
        from hrtui.crypto.commands import CommandError
        from hrtui.crypto.errors import AgeError

        kinds += [AgeError, CommandError]
    return tuple(kinds)


def _database_trouble(exc: Exception) -> tuple[str, int] | None:
    """(the one line, the exit status) for an SQLite error that is the database's state rather than a fault of
    hrtui (from peewee or the driver alike): damaged, held by another writer, or stopped by Ctrl+C inside a long
    statement (exit 130, as Ctrl+C anywhere else)."""
    if type(exc).__name__ not in ("DatabaseError", "OperationalError"):
        return None
    text = str(exc)
    if text == "interrupted":
        return "interrupted", 130
    if "locked" in text or "busy" in text:
        return "the database is busy: another program is writing to it; try again in a moment", 1
    if "malformed" in text or "not a database" in text or "disk I/O" in text:
        return (f"the database cannot be read ({text}): the file may be damaged; restore it from a backup "
                "(hrtui restore FILE)"), 1
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_tui)
    from hrtui import log

    log.event("command", command=getattr(args, "command", None) or "tui")
    try:
        return func(args) or 0
    except _user_errors() as exc:
        log.event("refused", error=type(exc).__name__)  # the type only: messages may name employees
        if args.debug:
            raise
        print(f"hrtui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hrtui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # last line of defence: one line, no employee data in a traceback
        trouble = _database_trouble(exc)
        if trouble is not None and not args.debug:
            log.event("refused", error=type(exc).__name__)
            print(f"hrtui: {trouble[0]}", file=sys.stderr)
            return trouble[1]
        log.event("crash", error=type(exc).__name__)
        if args.debug:
            raise
        print(f"hrtui: unexpected error ({type(exc).__name__}); rerun with --debug for details", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
