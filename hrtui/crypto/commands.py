"""`hrtui keygen | encrypt | decrypt`: argparse glue over hrtui.crypto.age.

add_parsers(subparsers[, common]) registers the three commands (register(subparsers, common) is the
same, in the shape hrtui.commands expects); each sets func=, which takes the parsed namespace and
returns an exit code. Failures raise age.AgeError or CommandError, both with a one-line message for
the main CLI to print after "hrtui: ". Secrets are never printed.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import age


class CommandError(Exception):
    """A one-line, user-facing failure of a crypto command (not a format error)."""


def default_identity_path() -> Path:
    """Where `hrtui keygen` puts the identity without -o: the hrtui config dir, where keys live.

    Computed here rather than taken from hrtui.config because crypto imports no other hrtui package;
    it follows the same XDG rule ($XDG_CONFIG_HOME/hrtui, else ~/.config/hrtui).
    """
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "hrtui" / "identity.txt"


def _plain_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    # OSError's str() carries errno noise; say which file and what went wrong, in one line.
    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise CommandError(f"{where}{exc.strerror or exc}") from None

    return run


@_plain_errors
def cmd_keygen(args: argparse.Namespace) -> int:
    path: Path = args.output or default_identity_path()
    if args.output is None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if args.pq and not age.hybrid_available():
        raise CommandError("post-quantum keys need ML-KEM, which this cryptography build lacks")
    try:
        recipient = age.write_new_identity(path, post_quantum=args.pq)
    except FileExistsError:
        raise CommandError(f"{path} already exists; refusing to overwrite a secret key") from None
    print(recipient)
    print(f"identity written to {path} (mode 0600); keep it private and backed up", file=sys.stderr)
    return 0


@_plain_errors
def cmd_encrypt(args: argparse.Namespace) -> int:
    if args.output is not None and len(args.files) != 1:
        raise CommandError("-o names one output: give a single FILE, or drop -o to write FILE.age for each")
    recipients = None
    passphrase = None
    if args.passphrase_file is not None:
        passphrase = age.read_passphrase_file(args.passphrase_file)
    elif args.to_file is not None:
        recipients = age.parse_recipients_file(args.to_file)
    else:
        recipients = [age.parse_recipient(r.strip()) for r in args.to]
    for src in args.files:
        out = args.output or src.with_name(src.name + ".age")
        if out.exists() and out.resolve() == src.resolve():
            raise CommandError(f"{src}: the output would overwrite the input; pass another -o")
        age.encrypt_to_path(src, out, recipients, passphrase=passphrase, armor=args.armor)
        print(out)
    return 0


@_plain_errors
def cmd_decrypt(args: argparse.Namespace) -> int:
    src: Path = args.file
    if args.output is not None:
        out = args.output
    else:
        if src.suffix != ".age" or src.name == ".age":
            raise CommandError(f"{src} does not end in .age: pass -o OUT to name the output")
        out = src.with_name(src.name[: -len(".age")])
        if out.exists():
            # Only an explicit -o may replace a file: the implicit name is easy to get wrong.
            raise CommandError(f"{out} already exists: pass -o {out} to replace it, or another -o")
    identities = None
    passphrase = None
    if args.passphrase_file is not None:
        passphrase = age.read_passphrase_file(args.passphrase_file)
    else:
        identities = [i for path in args.identity for i in age.parse_identity_file(path)]
    age.decrypt_to_path(src, out, identities, passphrase=passphrase)
    print(out)
    return 0


def add_parsers(subparsers, common: argparse.ArgumentParser | None = None) -> None:
    """Register keygen, encrypt and decrypt on an argparse subparsers object.

    common, when given, is a parent parser of global options (--db, --debug...) to accept after
    the subcommand too.
    """
    parents = [common] if common is not None else []
    keygen = subparsers.add_parser(
        "keygen",
        parents=parents,
        help="create an age identity (secret key file) and print its recipient",
        description="Write a new age identity file (mode 0600, never overwritten) and print its "
        "recipient (age1…) on stdout. The file is readable by the standard age tool.",
    )
    keygen.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help=f"identity file to create (default: {default_identity_path()})",
    )
    keygen.add_argument(
        "--pq", action="store_true",
        help="post-quantum hybrid key (ML-KEM-768 + X25519, age1pq1…); the age tool reads it from version 1.3",
    )
    keygen.set_defaults(func=cmd_keygen)

    encrypt = subparsers.add_parser(
        "encrypt",
        parents=parents,
        help="encrypt files with age (to recipients or a passphrase)",
        description="Encrypt each FILE to FILE.age (or -o OUT) in the age v1 format; open the result "
        "with `hrtui decrypt` or `age -d`.",
    )
    encrypt.add_argument("files", nargs="+", type=Path, metavar="FILE")
    to = encrypt.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", action="append", metavar="RECIPIENT", help="an age1… recipient; repeat for several")
    to.add_argument("--to-file", type=Path, metavar="F", help="a file of recipients, one a line, # comments")
    to.add_argument(
        "--passphrase-file", type=Path, metavar="F", help="a file (mode 0600) whose first line is the passphrase"
    )
    encrypt.add_argument("-a", "--armor", action="store_true", help="ASCII-armored (PEM) output")
    encrypt.add_argument("-o", "--output", type=Path, metavar="OUT", help="output file (one FILE only)")
    encrypt.set_defaults(func=cmd_encrypt)

    decrypt = subparsers.add_parser(
        "decrypt",
        parents=parents,
        help="decrypt an age file",
        description="Decrypt FILE (binary or armored). The output appears only once the whole file "
        "has authenticated; on any failure nothing is written.",
    )
    decrypt.add_argument("file", type=Path, metavar="FILE")
    key = decrypt.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "-i", "--identity", action="append", type=Path, metavar="F",
        help="an identity file (mode 0600); repeat for several",
    )
    key.add_argument(
        "--passphrase-file", type=Path, metavar="F", help="a file (mode 0600) whose first line is the passphrase"
    )
    decrypt.add_argument("-o", "--output", type=Path, metavar="OUT", help="output file (default: FILE without .age)")
    decrypt.set_defaults(func=cmd_decrypt)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """The hook hrtui.commands calls for modules listed in its MODULES."""
    add_parsers(subparsers, common)
