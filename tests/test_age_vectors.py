"""Every C2SP age test vector (../shared/vectors/age) run through hrtui.crypto.age.

Each vector is one case asserting the outcome class and, where the vector gives one, the SHA-256 of
all plaintext released before the outcome. Round-trip checks (header, STREAM, armor) reuse the same
files, as the vectors' README suggests, to test the encoding side byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hrtui.crypto import age
from hrtui.crypto.armor import ArmorReader, ArmorWriter

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors" / "age"

if not VECTORS.is_dir():
    pytest.skip(
        f"age test vectors not found at {VECTORS} (the shared/ directory sits beside the repository checkout)",
        allow_module_level=True,
    )

OUTCOMES: dict[str, type[age.AgeError] | None] = {
    "success": None,
    "no match": age.NoMatch,
    "HMAC failure": age.HmacFailure,
    "header failure": age.HeaderFailure,
    "payload failure": age.PayloadFailure,
    "armor failure": age.ArmorFailure,
}
ACCEPTED_REFUSAL = "accepted refusal: this cryptography build has no ML-KEM, so post-quantum files are 'no match'"


@dataclass
class Vector:
    name: str
    expect: str
    body: bytes
    payload: str | None = None
    file_key: bytes | None = None
    armored: bool = False
    identities: list[str] = field(default_factory=list)
    passphrases: list[str] = field(default_factory=list)

    @property
    def hybrid(self) -> bool:
        return any(i.upper().startswith("AGE-SECRET-KEY-PQ-") for i in self.identities)

    @property
    def expected(self) -> str:
        """The outcome this build must produce: the vector's, or an explicit accepted refusal."""
        if self.hybrid and self.expect == "success" and not age.hybrid_available():
            return "no match"
        return self.expect


def load(path: Path) -> Vector:
    head, sep, body = path.read_bytes().partition(b"\n\n")
    assert sep, f"{path.name}: no blank line after the textual header"
    fields: dict[str, str] = {}
    identities, passphrases = [], []
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key == "identity":
            identities.append(value)
        elif key == "passphrase":
            passphrases.append(value)
        else:
            fields[key] = value  # unknown keys are ignored, as the README asks
    if fields.get("compressed") == "zlib":
        body = zlib.decompress(body)
    return Vector(
        name=path.name,
        expect=fields["expect"],
        body=body,
        payload=fields.get("payload"),
        file_key=bytes.fromhex(fields["file key"]) if "file key" in fields else None,
        armored=fields.get("armored") == "yes",
        identities=identities,
        passphrases=passphrases,
    )


ALL = [load(p) for p in sorted(VECTORS.iterdir()) if p.is_file() and p.name != "README.md"]


def _case_id(v: Vector) -> str:
    return f"{v.name}[accepted-refusal]" if v.expected != v.expect else v.name


def _identities(v: Vector) -> list:
    ids: list = [age.parse_identity(i) for i in v.identities]
    ids += [age.ScryptIdentity(p) for p in v.passphrases]
    # The API wants at least one identity; the vectors that list none fail before any key matters.
    return ids or [age.X25519Identity.generate()]


def _dearmor(data: bytes) -> bytes:
    return io.BufferedReader(ArmorReader(io.BytesIO(data))).read()


def test_vector_set_is_complete():
    assert len(ALL) >= 100, f"only {len(ALL)} vectors found in {VECTORS}"
    assert {v.expect for v in ALL} <= set(OUTCOMES), "a vector expects an outcome this test does not know"
    assert {v.expect for v in ALL} == set(OUTCOMES)


@pytest.mark.parametrize("vector", ALL, ids=_case_id)
def test_vector(vector: Vector):
    if vector.expected != vector.expect:
        # Explicit, reported refusal (not a skip): only success vectors whose sole identity is
        # post-quantum land here, and only when the OpenSSL under cryptography lacks ML-KEM.
        assert vector.hybrid and vector.expect == "success", ACCEPTED_REFUSAL
    released = io.BytesIO()
    expected = OUTCOMES[vector.expected]
    if expected is None:
        size = age.decrypt(io.BytesIO(vector.body), released, _identities(vector), armor=vector.armored)
        assert size == len(released.getvalue())
    else:
        with pytest.raises(age.AgeError) as caught:
            age.decrypt(io.BytesIO(vector.body), released, _identities(vector), armor=vector.armored)
        assert type(caught.value) is expected, f"{vector.name}: {type(caught.value).__name__}: {caught.value}"
        message = str(caught.value)
        assert message.startswith("age: ") and "\n" not in message
    if vector.payload is not None and vector.expected == vector.expect:
        assert hashlib.sha256(released.getvalue()).hexdigest() == vector.payload


HEADER_ROUND_TRIP = [v for v in ALL if v.expect not in ("header failure", "armor failure")]


@pytest.mark.parametrize("vector", HEADER_ROUND_TRIP, ids=lambda v: v.name)
def test_header_round_trip(vector: Vector):
    data = _dearmor(vector.body) if vector.armored else vector.body
    header = age.read_header(io.BytesIO(data), armor=False)
    encoded = header.encode()
    assert data[: len(encoded)] == encoded
    assert header.mac_input == encoded[: encoded.rindex(b"---") + 3]


STREAM_ROUND_TRIP = [v for v in ALL if v.expect == "success" and v.file_key is not None]


@pytest.mark.parametrize("vector", STREAM_ROUND_TRIP, ids=lambda v: v.name)
def test_stream_round_trip(vector: Vector):
    """Re-encrypting the plaintext under the vector's file key and nonce gives the same payload."""
    data = _dearmor(vector.body) if vector.armored else vector.body
    header_size = len(age.read_header(io.BytesIO(data), armor=False).encode())
    nonce, sealed = data[header_size : header_size + 16], data[header_size + 16 :]
    key = age.payload_key(vector.file_key, nonce)
    plaintext = io.BytesIO()
    age.stream_decrypt(key, io.BytesIO(sealed), plaintext)
    assert hashlib.sha256(plaintext.getvalue()).hexdigest() == vector.payload
    again = io.BytesIO()
    age.stream_encrypt(key, io.BytesIO(plaintext.getvalue()), again)
    assert again.getvalue() == sealed


ARMOR_ROUND_TRIP = [v for v in ALL if v.armored and v.expect not in ("armor failure",)]


@pytest.mark.parametrize("vector", ARMOR_ROUND_TRIP, ids=lambda v: v.name)
def test_armor_round_trip(vector: Vector):
    decoded = _dearmor(vector.body)
    out = io.BytesIO()
    writer = ArmorWriter(out)
    writer.write(decoded)
    writer.close()
    # Readers accept CRLF and a missing final newline; the writer always emits LF and ends with one.
    canonical = vector.body.replace(b"\r\n", b"\n").strip() + b"\n"
    assert out.getvalue() == canonical


# Known answers from the age specification (c2sp.org/age) itself.
SPEC_X25519_IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
SPEC_X25519_RECIPIENT = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"
SPEC_PQ_IDENTITY = "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR"
SPEC_PQ_RECIPIENT = (
    "age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6caq5aapdmwjjqpjfdyxnzr2zam"
    "pc3uxy0dg4z2n2gm9su72p0pc3u0jvev55l694v78snxg3yzvcl7yda0eyytqj6a0ec477lnhcy5hzpz4zq3pxanve4cn62gqj3pjy5lqj9"
    "c6kyj4v2z8alktn8zh99970x79gjkv7522hv9kfz35zsnxhsx8wwtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytrefxg4"
    "wq3mv42wcrvkj742479zrxzpvp2p3e9fed9f0739vcu80r7ma28qfhnvlv4gfzel9q654dj3zmuvvz893azhxdvs9fxd0r7jzchzcfcs5mk"
    "yyjxhw0n2z6dvp9yn9qfdp29h0azxqyjw6v7fhyuzj7zel0uq6j9rd7wgrpz7mf5dnj43jwsgvrc8qcnhy7tu6dkdujuxzkp9xj43xe8h9"
    "2ktre2a3u3s8mm5mrp9nr9pwkgtz4mdlq9hgn4fps4k57ff6wddn2fy23t47sm20r8km8sd2pcyyafnet8f0dajsrlyjeah4n3mssr6asee"
    "vuuskdvq5lzguyvpgwpta742c6698vgutzqgny8usfg0w2he7kq5vyxjd0f9hqg8xk26y9e4th0gezq92q4cpp5p2y9hf5f2cje5l0c3sa3a"
    "2qxmm38pxxvhxh99yzmfz0zk7r2s64nnwjhkfgfr3gf8xnmppcgmaykvh5sh6g7vk9790rf8ws0axmr2t7z8aae5fq2029uvcn2ghgt4fu4"
    "wgwdc0k0cz52qkvwmuzj8p8k5jgf3xzk5zmrkavjekjrpeq408xz3zxazwkc6tyfmhayrkfpjhwtz5mp8j8guqe43k2q6m2kte03vrw27y3"
    "wmqyu5etmt9dnkwcnnpmu9gz9dekfhdevf42ucshphnrk38ra6hx8w5f8q5ru0xdhrjxmwqf6cused7zc5xvq43r0zscjglpwlptpwydhqw6"
    "4xz7ptjdyeyzpq2zkxtmzg29gzjpvzva4d3l0cenn9xs297wf4y4ukwrunf57xj6pm7nvrkwvtrt8hwcmgv8x7ajw7258ugf9wvkmk4052e"
    "kg87tw5vnx8nq2swyzv77v8yqlwsenvamr0zssknwts8rrhfuwj7ykysnq9jxy0uv3kuyt22djszjdtvpz6d0s0kwh8ryynddzud92emeyv"
    "vyqktd0jtj7rvvg5gch25v8smlvny3kvn5gagyz475ze2y6q466xqmz2n3hs77lddeqyta2nch5k2u5yacuk9ywnwfdzvyejnucz724hj77"
    "hrrmakm7pr3kxsrxq22ejexlud9fy2kdqmkg5yncz7jm5wv2qjk5w5kvcpqsry2yqffh2la52dxfjkjq5rzhjzeyn6dupn0qwtyv7s4lwg3"
    "xdarsdlwe2y3tujy480y7z39q259fzx6jhd2j0f5hagqpcpees7hzc2yrk5cy788uk3s7qvp5cpepx24gvws3m2g433exgwppnkjscec8qu4"
    "y9z9r7vccexjcjaen42245lmgmxmuavg9alej92322gvvyy2t6267v09ch64y0m53jff0vjj96s0ypk60hr3jw4myd6m5hpn3xjstx7tl2s"
    "zhpr5qe8jj08ydjc4wy2rch2fhuy3pdfjax5awe9j99ly5hkntzz9fe5zatgjvzdd0kgtxs25njnajyf6ssekp7gelxquusn4pt25czh3sc"
    "j68kq79wdn5tgm6yvm9nzavrg043x3msnygf8dweknw5jmqd0uvny6ttsn09508k0c55zfnegrm9efhxpfqdkmhh6gjtqmwze9pyyzk3tlhl5"
    "3k2ykx3qheyty7saeq0d3fzv49zc0k"
)


def test_spec_x25519_key_pair():
    identity = age.parse_identity(SPEC_X25519_IDENTITY)
    assert identity.recipient().encode() == SPEC_X25519_RECIPIENT
    assert identity.encode() == SPEC_X25519_IDENTITY
    assert age.parse_recipient(SPEC_X25519_RECIPIENT) == identity.recipient()


@pytest.mark.skipif(not age.hybrid_available(), reason="this cryptography build has no ML-KEM-768")
def test_spec_post_quantum_key_pair():
    identity = age.parse_identity(SPEC_PQ_IDENTITY)
    assert identity.encode() == SPEC_PQ_IDENTITY
    assert identity.recipient().encode() == SPEC_PQ_RECIPIENT
    assert age.parse_recipient(SPEC_PQ_RECIPIENT) == identity.recipient()


@pytest.mark.parametrize(
    "bad",
    [
        SPEC_X25519_RECIPIENT[:-1] + ("q" if SPEC_X25519_RECIPIENT[-1] != "q" else "p"),  # checksum
        SPEC_X25519_RECIPIENT[:10] + SPEC_X25519_RECIPIENT[10:].upper(),  # mixed case
        "age1" + SPEC_X25519_RECIPIENT[4:].replace("q", "b", 1),  # 'b' is not in the bech32 alphabet
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
        SPEC_X25519_IDENTITY,  # a secret key is not a recipient
    ],
)
def test_bad_recipients_are_rejected(bad: str):
    with pytest.raises(age.InvalidKey):
        age.parse_recipient(bad)


def test_low_order_recipient_is_refused_up_front():
    from hrtui.crypto import bech32

    with pytest.raises(age.InvalidKey, match="low-order"):
        age.parse_recipient(bech32.encode("age", bytes(32)))


def test_secret_key_given_as_recipient_is_not_echoed():
    with pytest.raises(age.InvalidKey, match="secret key, not a recipient") as caught:
        age.parse_recipient(SPEC_X25519_IDENTITY)
    assert "GFPYYSJZ" not in str(caught.value)


def test_bad_identity_errors_never_quote_the_key():
    broken = SPEC_X25519_IDENTITY[:-1] + "Q"
    with pytest.raises(age.InvalidKey) as caught:
        age.parse_identity(broken)
    assert broken not in str(caught.value) and "GFPYYSJZ" not in str(caught.value)
