"""MLKEM768-X25519 (X-Wing) hybrid KEM, and the HPKE base mode that age's mlkem768x25519 stanzas use.

References: c2sp.org/hpke-hybrids (the KEM) and RFC 9180 (HPKE key schedule, base mode, one message).
ML-KEM comes from `cryptography` when its OpenSSL provides it; without it, post-quantum stanzas can
still be checked for structure and for an all-zero X25519 share, but not opened.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric import x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

KEM_ID = 0x647A
KDF_ID = 0x0001  # HKDF-SHA256
AEAD_ID = 0x0003  # ChaCha20Poly1305
LABEL = b"\\.//^\\"
SEED_SIZE = 32
MLKEM_EK_SIZE = 1184
MLKEM_CT_SIZE = 1088
X25519_SIZE = 32
ENC_SIZE = MLKEM_CT_SIZE + X25519_SIZE
PUBLIC_KEY_SIZE = MLKEM_EK_SIZE + X25519_SIZE

_SUITE_ID = b"HPKE" + KEM_ID.to_bytes(2) + KDF_ID.to_bytes(2) + AEAD_ID.to_bytes(2)


@functools.cache
def available() -> bool:
    """True when this `cryptography` build can do ML-KEM-768 from a seed."""
    try:
        from cryptography.hazmat.primitives.asymmetric import mlkem

        mlkem.MLKEM768PrivateKey.from_seed_bytes(bytes(64))
    except Exception:  # ImportError, AttributeError or UnsupportedAlgorithm, depending on the build
        return False
    return True


class HybridPrivateKey:
    """The expanded form of a 32-byte MLKEM768-X25519 seed."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != SEED_SIZE:
            raise ValueError("MLKEM768-X25519 seeds are 32 bytes")
        full = hashlib.shake_256(seed).digest(64 + X25519_SIZE)
        self._seed = bytes(seed)
        self._dk_t = x25519.X25519PrivateKey.from_private_bytes(full[64:])
        self.ek_t = self._dk_t.public_key().public_bytes_raw()
        self._dk_pq = None
        self.ek_pq: bytes | None = None
        if available():
            from cryptography.hazmat.primitives.asymmetric import mlkem

            self._dk_pq = mlkem.MLKEM768PrivateKey.from_seed_bytes(full[:64])
            self.ek_pq = self._dk_pq.public_key().public_bytes_raw()

    @property
    def seed(self) -> bytes:
        return self._seed

    def public_key(self) -> bytes:
        if self.ek_pq is None:
            raise ValueError("this cryptography build has no ML-KEM: cannot derive a post-quantum recipient")
        return self.ek_pq + self.ek_t

    def decapsulate(self, enc: bytes) -> bytes | None:
        """Shared secret for enc; None when ML-KEM is unavailable.

        Raises ValueError when the X25519 share is a low-order point (all-zero shared secret): the
        age spec makes that a hard failure, not a mismatch.
        """
        if len(enc) != ENC_SIZE:
            raise ValueError("bad encapsulated key size")
        ct_pq, ct_t = enc[:MLKEM_CT_SIZE], enc[MLKEM_CT_SIZE:]
        ss_t = self._dk_t.exchange(x25519.X25519PublicKey.from_public_bytes(ct_t))
        if self._dk_pq is None:
            return None
        ss_pq = self._dk_pq.decapsulate(ct_pq)
        return hashlib.sha3_256(ss_pq + ss_t + ct_t + self.ek_t + LABEL).digest()


def encapsulate(public_key: bytes) -> tuple[bytes, bytes]:
    """(shared secret, enc) for a 1216-byte MLKEM768-X25519 public key."""
    from cryptography.hazmat.primitives.asymmetric import mlkem

    ek_pq, ek_t = public_key[:MLKEM_EK_SIZE], public_key[MLKEM_EK_SIZE:]
    ss_pq, ct_pq = mlkem.MLKEM768PublicKey.from_public_bytes(ek_pq).encapsulate()
    sk_e = x25519.X25519PrivateKey.generate()
    ct_t = sk_e.public_key().public_bytes_raw()
    ss_t = sk_e.exchange(x25519.X25519PublicKey.from_public_bytes(ek_t))
    ss = hashlib.sha3_256(ss_pq + ss_t + ct_t + ek_t + LABEL).digest()
    return ss, ct_pq + ct_t


def check_public_key(public_key: bytes) -> None:
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise ValueError("MLKEM768-X25519 public keys are 1216 bytes")
    if available():
        from cryptography.hazmat.primitives.asymmetric import mlkem

        mlkem.MLKEM768PublicKey.from_public_bytes(public_key[:MLKEM_EK_SIZE])


def _labeled_extract(salt: bytes, label: bytes, ikm: bytes) -> bytes:
    # HKDF-Extract; an empty salt is the same HMAC key as HashLen zero bytes.
    return hmac.new(salt, b"HPKE-v1" + _SUITE_ID + label + ikm, hashlib.sha256).digest()


def _labeled_expand(prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    # HKDF-Expand for length <= 32 is a single HMAC block.
    labeled_info = length.to_bytes(2) + b"HPKE-v1" + _SUITE_ID + label + info
    return hmac.new(prk, labeled_info + b"\x01", hashlib.sha256).digest()[:length]


def _key_schedule(shared_secret: bytes, info: bytes) -> tuple[bytes, bytes]:
    psk_id_hash = _labeled_extract(b"", b"psk_id_hash", b"")
    info_hash = _labeled_extract(b"", b"info_hash", info)
    context = b"\x00" + psk_id_hash + info_hash  # mode_base
    secret = _labeled_extract(shared_secret, b"secret", b"")
    return _labeled_expand(secret, b"key", context, 32), _labeled_expand(secret, b"base_nonce", context, 12)


def seal(public_key: bytes, info: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
    """HPKE SealBase with empty aad: returns (enc, ciphertext)."""
    ss, enc = encapsulate(public_key)
    key, nonce = _key_schedule(ss, info)
    return enc, ChaCha20Poly1305(key).encrypt(nonce, plaintext, None)


def open_with_secret(shared_secret: bytes, info: bytes, ciphertext: bytes) -> bytes:
    """HPKE OpenBase for an already decapsulated secret; raises InvalidTag on a wrong key."""
    key, nonce = _key_schedule(shared_secret, info)
    return ChaCha20Poly1305(key).decrypt(nonce, ciphertext, None)
