"""age error classes. Each maps to one outcome class of the C2SP age test vectors.

str() of every error is one human line starting with "age: ", ready to print after "hrtui: ".
"""

from __future__ import annotations


class AgeError(Exception):
    """Base class: the file could not be decrypted, or a key or file is malformed."""


class NoMatch(AgeError):
    """The header parsed, but none of the given identities or passphrases unwraps the file key."""

    def __init__(self, message: str = "age: no identity matches this file") -> None:
        super().__init__(message)


class HmacFailure(AgeError):
    """A file key was unwrapped, but the header MAC does not match: the header was altered."""

    def __init__(self, message: str = "age: header authentication failed (file altered or corrupted)") -> None:
        super().__init__(message)


class HeaderFailure(AgeError):
    """The header is malformed (or a recipient stanza is invalid)."""


class PayloadFailure(AgeError):
    """The header is fine, but the encrypted payload does not authenticate all the way to its end."""


class ArmorFailure(AgeError):
    """The ASCII armor (PEM "AGE ENCRYPTED FILE") is malformed."""


class InvalidKey(AgeError, ValueError):
    """A recipient, identity or key file is malformed or unsafe to use."""
