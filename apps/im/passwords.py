"""IM user passwords: Django's PBKDF2 hasher with fewer iterations than console logins.

The password grant is on the hot path of every SDK login and a batch registers up to 60 users in one request;
at Django's 1,000,000 iterations that is half a second per password. 20,000 iterations of PBKDF2-SHA256 (the
OWASP 2013 figure) keeps a hash costly to brute-force while a batch of 60 registers in well under a second."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ImUserPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "im_pbkdf2_sha256"
    iterations = 20_000


_hasher = ImUserPasswordHasher()


def password_hash(password: str) -> str:
    return _hasher.encode(password, _hasher.salt())


def password_matches(password: str, encoded: str) -> bool:
    if not encoded.startswith(_hasher.algorithm + "$"):
        return False
    return _hasher.verify(password, encoded)
