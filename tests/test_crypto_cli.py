"""keygen / encrypt / decrypt driven through add_parsers in a small argparse harness (the real
hrtui CLI wraps the same functions: it prints `hrtui: <message>` and exits 1 on an error)."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from hrtui.crypto import age
from hrtui.crypto.commands import CommandError, add_parsers

PASSPHRASE = "tiger lily under the bridge"
REPO = Path(__file__).resolve().parents[1]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hrtui")
    add_parsers(p.add_subparsers(dest="command", required=True))
    return p


def run(*argv: str) -> tuple[int, str, str]:
    """Parse and run like the main CLI: errors become one `hrtui: ...` line and exit code 1."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        args = parser().parse_args([str(a) for a in argv])
        try:
            code = args.func(args)
        except (age.AgeError, CommandError) as exc:
            print(f"hrtui: {exc}", file=sys.stderr)
            code = 1
    return code, out.getvalue(), err.getvalue()


def usage_error(*argv: str) -> str:
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as caught:
        parser().parse_args([str(a) for a in argv])
    assert caught.value.code == 2
    return err.getvalue()


def assert_no_secrets(*texts: str, secrets: tuple[str, ...] = ()) -> None:
    for text in texts:
        assert "AGE-SECRET-KEY" not in text
        for secret in secrets:
            assert secret not in text


@pytest.fixture
def keyfile(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "keys" / "me.txt"
    path.parent.mkdir()
    code, out, err = run("keygen", "-o", path)
    assert code == 0, err
    return path, out.strip()


@pytest.fixture
def passfile(tmp_path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    return path


def test_keygen_writes_a_private_age_keygen_style_file(keyfile):
    path, recipient = keyfile
    assert recipient.startswith("age1") and "\n" not in recipient
    assert (path.stat().st_mode & 0o777) == 0o600
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# created: ")
    assert lines[1] == f"# public key: {recipient}"
    assert lines[2].startswith("AGE-SECRET-KEY-1") and len(lines) == 3
    (identity,) = age.parse_identity_file(path)
    assert identity.recipient().encode() == recipient


def test_keygen_never_overwrites_and_never_prints_the_secret(keyfile):
    path, _ = keyfile
    before = path.read_bytes()
    code, out, err = run("keygen", "-o", path)
    assert code == 1
    assert err.startswith("hrtui: ") and "already exists" in err and err.count("\n") == 1
    assert path.read_bytes() == before
    assert_no_secrets(out, err)


def test_keygen_default_location_is_the_private_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    code, out, err = run("keygen")
    assert code == 0, err
    key = tmp_path / "config" / "hrtui" / "identity.txt"
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
    assert (key.parent.stat().st_mode & 0o777) == 0o700
    assert out.strip() in key.read_text()
    assert_no_secrets(out, err)


def test_register_accepts_common_options_after_the_subcommand(tmp_path):
    from hrtui.crypto.commands import register

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    p = argparse.ArgumentParser(prog="hrtui")
    register(p.add_subparsers(dest="command"), common)
    args = p.parse_args(["keygen", "-o", str(tmp_path / "k.txt"), "--debug"])
    assert args.debug is True
    assert args.func(args) == 0
    assert (tmp_path / "k.txt").is_file()


@pytest.mark.skipif(not age.hybrid_available(), reason="this cryptography build has no ML-KEM-768")
def test_keygen_post_quantum(tmp_path):
    key = tmp_path / "pq.txt"
    code, out, _ = run("keygen", "--pq", "-o", key)
    assert code == 0 and out.startswith("age1pq1")
    src = tmp_path / "a.txt"
    src.write_text("quantum-safe")
    assert run("encrypt", src, "--to", out.strip())[0] == 0
    src.unlink()
    assert run("decrypt", tmp_path / "a.txt.age", "-i", key)[0] == 0
    assert src.read_text() == "quantum-safe"


def test_encrypt_then_decrypt_with_default_names(tmp_path, keyfile):
    key, recipient = keyfile
    src = tmp_path / "salaries.csv"
    src.write_bytes(b"name,amount\nZhang Wei,12000\n" * 5000)
    original = src.read_bytes()
    code, out, err = run("encrypt", src, "--to", recipient)
    assert code == 0, err
    sealed = tmp_path / "salaries.csv.age"
    assert out.strip() == str(sealed)
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert original not in sealed.read_bytes()
    src.unlink()
    code, out, err = run("decrypt", sealed, "--identity", key)
    assert code == 0, err
    assert src.read_bytes() == original
    assert_no_secrets(out, err)


def test_decrypt_refuses_to_clobber_an_implicit_output(tmp_path, keyfile):
    key, recipient = keyfile
    src = tmp_path / "notes.txt"
    src.write_text("v1")
    assert run("encrypt", src, "--to", recipient)[0] == 0
    src.write_text("v2, edited since")
    code, _, err = run("decrypt", tmp_path / "notes.txt.age", "-i", key)
    assert code == 1 and "already exists" in err and "-o" in err
    assert src.read_text() == "v2, edited since"
    code, _, err = run("decrypt", tmp_path / "notes.txt.age", "-i", key, "-o", src)
    assert code == 0, err
    assert src.read_text() == "v1"


def test_decrypt_needs_o_when_the_name_has_no_age_suffix(tmp_path, keyfile):
    key, recipient = keyfile
    src = tmp_path / "x.bin"
    src.write_bytes(b"\x00\x01")
    assert run("encrypt", src, "--to", recipient, "-o", tmp_path / "x.enc")[0] == 0
    code, _, err = run("decrypt", tmp_path / "x.enc", "-i", key)
    assert code == 1 and "-o" in err
    assert run("decrypt", tmp_path / "x.enc", "-i", key, "-o", tmp_path / "y.bin")[0] == 0
    assert (tmp_path / "y.bin").read_bytes() == b"\x00\x01"


def test_encrypt_several_files_armored_and_to_several_recipients(tmp_path, keyfile):
    key, recipient = keyfile
    other = tmp_path / "other.txt"
    assert run("keygen", "-o", other)[0] == 0
    other_recipient = age.parse_identity_file(other)[0].recipient().encode()
    files = []
    for i in range(3):
        f = tmp_path / f"part{i}.json"
        f.write_text(f'{{"part": {i}}}')
        files.append(f)
    code, out, err = run("encrypt", *files, "--to", recipient, "--to", other_recipient, "--armor")
    assert code == 0, err
    assert out.split() == [str(f) + ".age" for f in files]
    for f in files:
        sealed = Path(str(f) + ".age")
        assert sealed.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
        for identity_file in (key, other):
            dest = tmp_path / "out.json"
            assert run("decrypt", sealed, "-i", identity_file, "-o", dest)[0] == 0
            assert dest.read_text() == f.read_text()
    code, _, err = run("encrypt", *files, "--to", recipient, "-o", tmp_path / "one.age")
    assert code == 1 and "single FILE" in err


def test_recipients_file(tmp_path, keyfile):
    key, recipient = keyfile
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(f"# HR team\n\n{recipient}\n")
    src = tmp_path / "a.txt"
    src.write_text("hello")
    assert run("encrypt", src, "--to-file", recipients)[0] == 0
    assert run("decrypt", tmp_path / "a.txt.age", "-i", key, "-o", tmp_path / "b.txt")[0] == 0
    assert (tmp_path / "b.txt").read_text() == "hello"
    recipients.write_text("age1qqqq\n")
    code, _, err = run("encrypt", src, "--to-file", recipients)
    assert code == 1 and "line 1" in err


def test_passphrase_file_round_trip(tmp_path, passfile):
    src = tmp_path / "export.json"
    src.write_text('{"employees": []}')
    code, out, err = run("encrypt", src, "--passphrase-file", passfile)
    assert code == 0, err
    header = age.read_header(io.BytesIO((tmp_path / "export.json.age").read_bytes()))
    assert [(s.type, s.args[1]) for s in header.stanzas] == [("scrypt", "18")]
    src.unlink()
    code, out2, err2 = run("decrypt", tmp_path / "export.json.age", "--passphrase-file", passfile)
    assert code == 0, err2
    assert src.read_text() == '{"employees": []}'
    assert_no_secrets(out, err, out2, err2, secrets=(PASSPHRASE,))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_group_or_world_accessible_secrets_are_refused(tmp_path, keyfile, passfile, mode):
    key, recipient = keyfile
    src = tmp_path / "a.txt"
    src.write_text("hello")
    assert run("encrypt", src, "--to", recipient)[0] == 0
    key.chmod(mode)
    code, out, err = run("decrypt", tmp_path / "a.txt.age", "-i", key, "-o", tmp_path / "b.txt")
    assert code == 1
    assert f"chmod 600 {key}" in err and err.count("\n") == 1
    assert not (tmp_path / "b.txt").exists()
    passfile.chmod(mode)
    for argv in (
        ("encrypt", src, "--passphrase-file", passfile),
        ("decrypt", tmp_path / "a.txt.age", "--passphrase-file", passfile),
    ):
        code, out, err = run(*argv, "-o", tmp_path / "c")
        assert code == 1 and f"chmod 600 {passfile}" in err
        assert_no_secrets(out, err, secrets=(PASSPHRASE,))
    assert not (tmp_path / "c").exists()


def test_wrong_identity_and_tampering_are_one_line_errors(tmp_path, keyfile):
    key, recipient = keyfile
    stranger = tmp_path / "stranger.txt"
    assert run("keygen", "-o", stranger)[0] == 0
    src = tmp_path / "a.txt"
    src.write_bytes(os.urandom(70000))
    assert run("encrypt", src, "--to", recipient)[0] == 0
    sealed = tmp_path / "a.txt.age"
    out = tmp_path / "out.bin"
    code, _, err = run("decrypt", sealed, "-i", stranger, "-o", out)
    assert (code, err) == (1, "hrtui: age: no identity matches this file\n")
    data = bytearray(sealed.read_bytes())
    data[-10] ^= 1
    sealed.write_bytes(bytes(data))
    code, _, err = run("decrypt", sealed, "-i", key, "-o", out)
    assert code == 1 and err.startswith("hrtui: age: payload chunk 2 failed authentication") and err.count("\n") == 1
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.age", "keys", "stranger.txt"]


def test_missing_files_are_reported_plainly(tmp_path, keyfile):
    key, recipient = keyfile
    code, _, err = run("encrypt", tmp_path / "nope.txt", "--to", recipient)
    assert code == 1 and err == f"hrtui: {tmp_path / 'nope.txt'}: No such file or directory\n"
    code, _, err = run("decrypt", tmp_path / "nope.age", "-i", tmp_path / "nokey.txt")
    assert code == 1 and "No such file or directory" in err and err.count("\n") == 1


def test_a_secret_key_passed_as_recipient_is_not_echoed(tmp_path, keyfile):
    key, _ = keyfile
    secret = key.read_text().splitlines()[2]
    src = tmp_path / "a.txt"
    src.write_text("x")
    code, out, err = run("encrypt", src, "--to", secret)
    assert code == 1 and "not a recipient" in err
    assert_no_secrets(out, err, secrets=(secret, secret[20:40]))
    assert not (tmp_path / "a.txt.age").exists()


def test_usage_errors_exit_2():
    assert "required" in usage_error("encrypt", "f.txt")
    assert "not allowed" in usage_error("encrypt", "f.txt", "--to", "age1x", "--passphrase-file", "p")
    assert "required" in usage_error("decrypt", "f.age")
    assert "not allowed" in usage_error("decrypt", "f.age", "-i", "k", "--passphrase-file", "p")


def test_crypto_is_a_leaf_package():
    """hrtui.crypto imports neither Textual nor any other hrtui package (DESIGN.md: crypto is a leaf)."""
    code = (
        "import sys, hrtui.crypto.age, hrtui.crypto.commands;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or"
        " (m.startswith('hrtui.') and not m.startswith('hrtui.crypto')));"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
