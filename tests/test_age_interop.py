"""hrtui's age against the reference `age` tool, plus round trips, tampering, truncation and the
file-level guarantees (nothing released unless the whole file authenticates)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import select
import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest

from hrtui.crypto import age

AGE = shutil.which("age")
AGE_KEYGEN = shutil.which("age-keygen")
needs_age = pytest.mark.skipif(
    not (AGE and AGE_KEYGEN), reason="the `age` and `age-keygen` commands are not on PATH (Debian package: age)"
)

KIB64 = 64 * 1024
SIZES = [0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64, 3 * KIB64 + 123]
FAST_WF = 10  # scrypt work factor for tests that are not about scrypt cost
PASSPHRASE = "correct horse battery staple"


def payload(size: int) -> bytes:
    # Deterministic but non-repeating, so a misplaced chunk cannot still compare equal.
    blocks = (hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def enc(data: bytes, recipients=None, **kw) -> bytes:
    out = io.BytesIO()
    assert age.encrypt(io.BytesIO(data), out, recipients, **kw) == len(data)
    return out.getvalue()


def dec(blob: bytes, identities=None, **kw) -> bytes:
    out = io.BytesIO()
    assert age.decrypt(io.BytesIO(blob), out, identities, **kw) == len(out.getvalue())
    return out.getvalue()


@pytest.fixture(scope="module")
def keys():
    identity, recipient = age.generate_identity()
    return identity, recipient


@pytest.fixture
def age_key(tmp_path):
    """A key pair made by the reference age-keygen."""
    key = tmp_path / "age-key.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(key)], check=True, capture_output=True)
    recipient = re.search(r"# public key: (age1\S+)", key.read_text()).group(1)
    return key, recipient


# --- the pty helper: age reads passphrases from the terminal only ------------------------------


def run_with_tty(argv: list[str], answers: list[str], timeout: float = 120) -> tuple[int, bytes]:
    """Run argv on a fresh pseudo-terminal, typing each answer when a passphrase prompt appears."""
    pty = pytest.importorskip("pty", reason="no pty module on this platform: cannot drive age -p")
    try:
        pid, fd = pty.fork()
    except OSError as exc:
        pytest.skip(f"no pseudo-terminal available to drive age's passphrase prompt: {exc}")
    if pid == 0:  # child: the pty is now its controlling terminal, which age opens as /dev/tty
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    pending = [a.encode() + b"\n" for a in answers]
    transcript = b""
    since_answer = b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, 9)
                raise AssertionError(f"{argv[0]} timed out; transcript: {transcript!r}")
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            transcript += data
            since_answer += data
            if pending and b"passphrase" in since_answer.lower() and since_answer.rstrip(b" ").endswith(b":"):
                os.write(fd, pending.pop(0))
                since_answer = b""
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), transcript


# --- interop with the reference implementation -------------------------------------------------


@needs_age
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
@pytest.mark.parametrize("size", SIZES)
def test_hrtui_encrypts_age_decrypts(tmp_path, age_key, size, armor):
    key, recipient = age_key
    data = payload(size)
    src, sealed = tmp_path / "plain", tmp_path / "plain.age"
    src.write_bytes(data)
    age.encrypt_to_path(src, sealed, [recipient], armor=armor)
    if armor:
        assert sealed.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
    result = subprocess.run([AGE, "-d", "-i", str(key), str(sealed)], capture_output=True, check=True)
    assert result.stdout == data


@needs_age
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
@pytest.mark.parametrize("size", SIZES)
def test_age_encrypts_hrtui_decrypts(tmp_path, keys, size, armor):
    identity, recipient = keys
    data = payload(size)
    src, sealed, out = tmp_path / "plain", tmp_path / "plain.age", tmp_path / "out"
    src.write_bytes(data)
    cmd = [AGE, "-r", recipient, "-o", str(sealed)] + (["-a"] if armor else []) + [str(src)]
    subprocess.run(cmd, check=True, capture_output=True)
    assert age.decrypt_to_path(sealed, out, [identity]) == size
    assert out.read_bytes() == data


@needs_age
def test_age_keygen_identity_file_is_read(tmp_path, age_key):
    key, recipient = age_key
    (identity,) = age.parse_identity_file(key)
    assert identity.recipient().encode() == recipient


@needs_age
def test_hrtui_identity_file_works_with_age(tmp_path):
    key = tmp_path / "hrtui-key.txt"
    recipient = age.write_new_identity(key)
    assert (key.stat().st_mode & 0o777) == 0o600
    data = payload(1000)
    sealed = subprocess.run([AGE, "-r", recipient], input=data, capture_output=True, check=True).stdout
    assert subprocess.run([AGE, "-d", "-i", str(key)], input=sealed, capture_output=True, check=True).stdout == data
    assert dec(sealed, age.parse_identity_file(key)) == data


@needs_age
def test_several_recipients_mixed_with_age(tmp_path, age_key, keys):
    key, age_recipient = age_key
    identity, recipient = keys
    data = payload(2 * KIB64 + 5)
    sealed = enc(data, [age_recipient, recipient])
    assert subprocess.run([AGE, "-d", "-i", str(key)], input=sealed, capture_output=True, check=True).stdout == data
    assert dec(sealed, [identity]) == data


@needs_age
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
def test_hrtui_passphrase_age_decrypts(tmp_path, armor):
    data = payload(KIB64 + 7)
    src, sealed, out = tmp_path / "plain", tmp_path / "plain.age", tmp_path / "out"
    src.write_bytes(data)
    # The default work factor (18) on purpose: what the reference accepts by default.
    age.encrypt_to_path(src, sealed, passphrase=PASSPHRASE, armor=armor)
    code, transcript = run_with_tty([AGE, "-d", "-o", str(out), str(sealed)], [PASSPHRASE])
    assert code == 0, transcript
    assert out.read_bytes() == data


@needs_age
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
def test_age_passphrase_hrtui_decrypts(tmp_path, armor):
    data = payload(KIB64 + 7)
    src, sealed, out = tmp_path / "plain", tmp_path / "plain.age", tmp_path / "out"
    src.write_bytes(data)
    argv = [AGE, "-p", "-o", str(sealed)] + (["-a"] if armor else []) + [str(src)]
    code, transcript = run_with_tty(argv, [PASSPHRASE, PASSPHRASE])
    assert code == 0, transcript
    assert age.read_header(io.BytesIO(sealed.read_bytes())).stanzas[0].type == "scrypt"
    assert age.decrypt_to_path(sealed, out, passphrase=PASSPHRASE) == len(data)
    assert out.read_bytes() == data
    with pytest.raises(age.NoMatch, match="wrong passphrase"):
        age.decrypt_to_path(sealed, tmp_path / "out2", passphrase=PASSPHRASE + "!")


@needs_age
def test_age_rejects_what_hrtui_rejects(tmp_path, age_key):
    """A tampered payload is refused by both implementations."""
    key, recipient = age_key
    sealed = bytearray(enc(payload(3000), [recipient]))
    sealed[-20] ^= 0x40
    result = subprocess.run([AGE, "-d", "-i", str(key)], input=bytes(sealed), capture_output=True)
    assert result.returncode != 0
    with pytest.raises(age.PayloadFailure):
        dec(bytes(sealed), age.parse_identity_file(key))


# --- round trips without the reference tool ----------------------------------------------------


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
@pytest.mark.parametrize("size", SIZES)
def test_round_trip_x25519(keys, size, armor):
    identity, recipient = keys
    data = payload(size)
    sealed = enc(data, [recipient], armor=armor)
    # Exact size: header + 16-byte nonce + one 16-byte tag per chunk (an empty file has one chunk).
    if not armor:
        chunks = max(1, -(-size // KIB64))
        header = len(age.read_header(io.BytesIO(sealed)).encode())
        assert len(sealed) == header + 16 + size + 16 * chunks
    assert dec(sealed, [identity]) == data


@pytest.mark.parametrize("size", [0, 1, KIB64, KIB64 + 1])
def test_round_trip_passphrase(size):
    data = payload(size)
    sealed = enc(data, passphrase=PASSPHRASE, work_factor=FAST_WF)
    assert f" {FAST_WF}\n".encode() in sealed[:200]
    assert dec(sealed, passphrase=PASSPHRASE) == data


@pytest.mark.skipif(not age.hybrid_available(), reason="this cryptography build has no ML-KEM-768")
def test_round_trip_post_quantum():
    identity, recipient = age.generate_identity(post_quantum=True)
    assert identity.startswith("AGE-SECRET-KEY-PQ-1") and recipient.startswith("age1pq1")
    data = payload(KIB64 + 3)
    sealed = enc(data, [recipient])
    assert age.read_header(io.BytesIO(sealed)).stanzas[0].type == "mlkem768x25519"
    assert dec(sealed, [identity]) == data
    _, classic = age.generate_identity()
    with pytest.raises(ValueError, match="post-quantum"):
        enc(data, [recipient, classic])


class Trickle(io.RawIOBase):
    """A source that returns at most `step` bytes a read, like a pipe or a socket."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = memoryview(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self._step, len(self._data))
        buffer[:n] = self._data[:n]
        self._data = self._data[n:]
        return n


class ShortReads:
    """Not an io class at all: only read(n), returning fewer bytes than asked."""

    def __init__(self, data: bytes, step: int) -> None:
        self._src = io.BytesIO(data)
        self._step = step

    def read(self, n: int = -1) -> bytes:
        return self._src.read(min(n, self._step) if n >= 0 else self._step)

    def readline(self, limit: int = -1) -> bytes:
        return self._src.readline(limit)


def test_short_reads_still_make_full_chunks(keys):
    identity, recipient = keys
    data = payload(3 * KIB64 + 10)
    reference = enc(data, [recipient])
    sealed = io.BytesIO()
    age.encrypt(Trickle(data, 1000), sealed, [recipient])
    assert len(sealed.getvalue()) == len(reference)  # same chunking, hence same size
    assert dec(sealed.getvalue(), [identity]) == data
    out = io.BytesIO()
    age.decrypt(Trickle(sealed.getvalue(), 777), out, [identity])
    assert out.getvalue() == data
    out = io.BytesIO()
    age.decrypt(ShortReads(sealed.getvalue(), 4096), out, [identity])
    assert out.getvalue() == data


def test_without_the_into_calls_of_newer_cryptography(keys, monkeypatch):
    """The allocating fallback for cryptography releases without encrypt_into/decrypt_into."""
    identity, recipient = keys
    data = payload(2 * KIB64 + 9)
    reference = enc(data, [recipient])
    monkeypatch.setattr(age, "_AEAD_INTO", False)
    sealed = enc(data, [recipient])
    assert len(sealed) == len(reference)
    assert dec(sealed, [identity]) == data
    assert dec(reference, [identity]) == data
    tampered = bytearray(sealed)
    tampered[-3] ^= 1
    with pytest.raises(age.PayloadFailure, match="chunk 3"):
        dec(bytes(tampered), [identity])


def test_armor_detection_and_strictness(keys):
    identity, recipient = keys
    data = payload(500)
    armored = enc(data, [recipient], armor=True)
    binary = enc(data, [recipient])
    assert dec(armored, [identity]) == data  # detected
    assert dec(b"\n  \r\n\t" + armored + b"\n\n", [identity]) == data  # whitespace around the block is fine
    assert dec(armored.replace(b"\n", b"\r\n"), [identity]) == data
    with pytest.raises(age.HeaderFailure):
        dec(armored, [identity], armor=False)
    with pytest.raises(age.ArmorFailure):
        dec(binary, [identity], armor=True)
    with pytest.raises(age.ArmorFailure):
        dec(armored + b"junk\n", [identity])
    lines = armored.split(b"\n")
    lines[1] = lines[1][:-4] + b"\n" + lines[1][-4:]  # re-wrapped lines are not canonical armor
    with pytest.raises(age.ArmorFailure):
        dec(b"\n".join(lines), [identity])


# --- wrong keys, tampering, truncation ---------------------------------------------------------


def test_wrong_key_and_wrong_kind_of_secret(keys):
    identity, recipient = keys
    other, _ = age.generate_identity()
    sealed = enc(b"secret", [recipient])
    with pytest.raises(age.NoMatch) as caught:
        dec(sealed, [other])
    assert str(caught.value) == "age: no identity matches this file"
    with pytest.raises(age.NoMatch, match="not protected by a passphrase"):
        dec(sealed, passphrase=PASSPHRASE)
    assert dec(sealed, [other, identity]) == b"secret"  # any matching identity will do
    by_passphrase = enc(b"secret", passphrase=PASSPHRASE, work_factor=FAST_WF)
    with pytest.raises(age.NoMatch, match="protected by a passphrase"):
        dec(by_passphrase, [identity])
    with pytest.raises(age.NoMatch, match="^age: wrong passphrase$"):
        dec(by_passphrase, passphrase="not it")


def test_scrypt_work_factor_limits():
    sealed = enc(b"x", passphrase=PASSPHRASE, work_factor=FAST_WF)
    with pytest.raises(age.HeaderFailure, match="work factor 10 is above the limit of 9"):
        dec(sealed, passphrase=PASSPHRASE, max_work_factor=9)
    # 23 is refused before any scrypt work is done (and before the MAC, which would also fail).
    too_costly = sealed.replace(f" {FAST_WF}\n".encode(), b" 23\n", 1)
    started = time.monotonic()
    with pytest.raises(age.HeaderFailure, match="work factor 23"):
        dec(too_costly, passphrase=PASSPHRASE)
    assert time.monotonic() - started < 1
    with pytest.raises(ValueError):
        age.ScryptRecipient(PASSPHRASE, work_factor=23)
    with pytest.raises(ValueError):
        enc(b"x", passphrase="")


def _regions(sealed: bytes) -> tuple[int, int]:
    """(offset of the MAC after '--- ', offset of the payload nonce)."""
    header_end = sealed.index(b"\n---") + 1
    return header_end + 4, sealed.index(b"\n", header_end) + 1


def test_every_flipped_byte_is_caught(keys):
    identity, recipient = keys
    sealed = enc(payload(100), [recipient])
    mac_at, payload_at = _regions(sealed)
    for i in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[i] ^= 0x01
        out = io.BytesIO()
        with pytest.raises(age.AgeError) as caught:
            age.decrypt(io.BytesIO(bytes(tampered)), out, [identity])
        kind = type(caught.value)
        if i < mac_at - 4:
            assert kind in (age.HeaderFailure, age.NoMatch), (i, caught.value)
        elif i < payload_at - 1:
            assert kind in (age.HmacFailure, age.HeaderFailure), (i, caught.value)
        elif i == payload_at - 1:
            assert kind is age.HeaderFailure, (i, caught.value)  # the MAC line's newline
        else:
            assert kind is age.PayloadFailure, (i, caught.value)
        assert out.getvalue() == b"", f"plaintext released for a flip at byte {i}"


def test_tampering_maps_to_the_right_class(keys):
    identity, recipient = keys
    other_identity, other_recipient = age.generate_identity()
    sealed = enc(payload(2 * KIB64 + 50), [recipient, other_recipient])
    header = age.read_header(io.BytesIO(sealed))
    second_body = age.b64encode_raw(header.stanzas[1].body)

    def swap_char(blob: bytes, at: int) -> bytes:
        # Replace one base64 character by another that keeps the text canonical.
        c = blob[at : at + 1]
        return blob[:at] + (b"B" if c != b"B" else b"C") + blob[at + 1 :]

    # The MAC itself.
    mac_at, _ = _regions(sealed)
    with pytest.raises(age.HmacFailure):
        dec(swap_char(sealed, mac_at + 10), [identity])
    # Another recipient's stanza: our key still unwraps, but the header is no longer authentic.
    at = sealed.index(second_body) + 5
    with pytest.raises(age.HmacFailure):
        dec(swap_char(sealed, at), [identity])
    # Our own stanza: it no longer unwraps.
    with pytest.raises(age.NoMatch):
        dec(swap_char(sealed, at), [other_identity])
    # Version line.
    with pytest.raises(age.HeaderFailure):
        dec(sealed.replace(b"age-encryption.org/v1", b"age-encryption.org/v2", 1), [identity])
    # Second payload chunk: the first is released by decrypt(), nothing by decrypt_to_path.
    _, payload_at = _regions(sealed)
    tampered = bytearray(sealed)
    tampered[payload_at + 16 + (KIB64 + 16) + 100] ^= 0x80
    out = io.BytesIO()
    with pytest.raises(age.PayloadFailure, match="chunk 2"):
        age.decrypt(io.BytesIO(bytes(tampered)), out, [identity])
    assert out.getvalue() == payload(2 * KIB64 + 50)[:KIB64]


def test_truncation_and_trailing_data(keys):
    identity, recipient = keys
    data = payload(2 * KIB64 + 300)
    sealed = enc(data, [recipient])
    _, payload_at = _regions(sealed)
    cuts = {
        "inside the header": (payload_at // 2, age.HeaderFailure),
        "right after the header": (payload_at, age.PayloadFailure),
        "inside the nonce": (payload_at + 7, age.PayloadFailure),
        "after the nonce": (payload_at + 16, age.PayloadFailure),
        "inside chunk 1": (payload_at + 16 + 1000, age.PayloadFailure),
        "at the end of chunk 1": (payload_at + 16 + KIB64 + 16, age.PayloadFailure),
        "at the end of chunk 2 (the final chunk is gone)": (payload_at + 16 + 2 * (KIB64 + 16), age.PayloadFailure),
        "one byte short": (len(sealed) - 1, age.PayloadFailure),
    }
    for what, (cut, expected) in cuts.items():
        with pytest.raises(age.AgeError) as caught:
            dec(sealed[:cut], [identity])
        assert type(caught.value) is expected, f"cut {what}: {caught.value!r}"
    with pytest.raises(age.PayloadFailure, match="truncated"):
        dec(sealed[: payload_at + 16 + 2 * (KIB64 + 16)], [identity])
    # Bytes after a short final chunk make that chunk fail; after a full final chunk they are
    # reported as trailing data. Either way nothing past the end is accepted.
    with pytest.raises(age.PayloadFailure, match="chunk 3 failed"):
        dec(sealed + b"\0", [identity])
    full = enc(payload(2 * KIB64), [recipient])
    with pytest.raises(age.PayloadFailure, match="trailing data"):
        dec(full + b"\0", [identity])


# --- file-level guarantees ---------------------------------------------------------------------


def _listing(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_decrypt_to_path_releases_nothing_on_failure(tmp_path, keys):
    identity, recipient = keys
    data = payload(3 * KIB64 + 1)
    src = tmp_path / "plain"
    src.write_bytes(data)
    sealed = tmp_path / "plain.age"
    age.encrypt_to_path(src, sealed, [recipient])
    good = sealed.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    out = work / "restored"

    bad_cases = {
        "last chunk tampered": good[:-5] + bytes([good[-5] ^ 1]) + good[-4:],
        "truncated": good[: len(good) - 100],
        "trailing data": good + b"x",
        "header tampered": good.replace(b"X25519", b"X25518", 1),
    }
    for what, blob in bad_cases.items():
        bad = work / "bad.age"
        bad.write_bytes(blob)
        before = _listing(work)
        with pytest.raises(age.AgeError):
            age.decrypt_to_path(bad, out, [identity])
        assert not out.exists(), what
        assert _listing(work) == before, f"{what}: a temp file was left behind"

    # An existing output survives a failed decryption untouched ...
    out.write_bytes(b"previous contents")
    bad = work / "bad.age"
    bad.write_bytes(bad_cases["truncated"])
    with pytest.raises(age.PayloadFailure):
        age.decrypt_to_path(bad, out, [identity])
    assert out.read_bytes() == b"previous contents"
    # ... and a successful one replaces it, private to the owner.
    assert age.decrypt_to_path(sealed, out, [identity]) == len(data)
    assert out.read_bytes() == data
    assert (out.stat().st_mode & 0o777) == 0o600
    assert _listing(work) == {"bad.age", "restored"}


def test_decrypt_to_path_wrong_identity_leaves_nothing(tmp_path, keys):
    _, recipient = keys
    other, _ = age.generate_identity()
    src = tmp_path / "plain"
    src.write_bytes(b"hello")
    age.encrypt_to_path(src, tmp_path / "plain.age", [recipient])
    before = _listing(tmp_path)
    with pytest.raises(age.NoMatch):
        age.decrypt_to_path(tmp_path / "plain.age", tmp_path / "out", [other])
    assert _listing(tmp_path) == before


def test_encrypt_to_path_is_atomic_and_private(tmp_path, keys):
    identity, recipient = keys
    src = tmp_path / "plain"
    src.write_bytes(payload(KIB64 * 2))
    out = tmp_path / "plain.age"
    (tmp_path / "plain.age.part").write_bytes(b"stale")
    os.chmod(tmp_path / "plain.age.part", 0o644)
    age.encrypt_to_path(src, out, [recipient])
    assert _listing(tmp_path) == {"plain", "plain.age"}
    assert (out.stat().st_mode & 0o777) == 0o600
    assert dec(out.read_bytes(), [identity]) == src.read_bytes()
    # Failures leave neither the .part nor a new output.
    with pytest.raises(FileNotFoundError):
        age.encrypt_to_path(tmp_path / "missing", tmp_path / "missing.age", [recipient])
    with pytest.raises(age.InvalidKey):
        age.encrypt_to_path(src, tmp_path / "other.age", ["age1notarecipient"])
    assert _listing(tmp_path) == {"plain", "plain.age"}


# --- streaming memory --------------------------------------------------------------------------


class Zeros:
    def __init__(self, size: int) -> None:
        self.left = size
        self._zero = memoryview(bytes(KIB64 + 16))

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left, len(self._zero))
        buffer[:n] = self._zero[:n]
        self.left -= n
        return n

    def readline(self, limit: int = -1) -> bytes:
        raise AssertionError("plaintext is never read by lines")


class Sink:
    def __init__(self) -> None:
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.size += len(data)
        self.digest.update(data)
        return len(data)


def test_memory_stays_flat_for_large_streams(tmp_path, keys):
    identity, recipient = keys
    size = 48 * 1024 * 1024 + 5
    sealed = tmp_path / "big.age"
    tracemalloc.start()
    try:
        with open(sealed, "wb") as dst:
            age.encrypt(Zeros(size), dst, [recipient])
        _, enc_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        sink = Sink()
        with open(sealed, "rb") as src:
            age.decrypt(src, sink, [identity])
        _, dec_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size == size
    assert sink.digest.hexdigest() == hashlib.sha256(bytes(size)).hexdigest()
    # A few 64 KiB buffers, independent of the 48 MiB that went through.
    assert enc_peak < 1024 * 1024, enc_peak
    assert dec_peak < 1024 * 1024, dec_peak
