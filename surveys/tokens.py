"""The personal link's token.

token = HMAC-SHA256(SECRET_KEY, nonce), 256 bits, base64url (43 characters). The database keeps
the random nonce and SHA-256(token); a visit is looked up by the hash of what it presents. So
the token itself is stored nowhere, a copy of the database opens no survey, and the invitation
and the reminder (sent by tasks that only get the invitation's id) carry the same link.

Rotating SECRET_KEY keeps every link already sent working (they are looked up by their stored
hash); only links rebuilt afterwards, such as a reminder's, would differ and not be found."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

TOKEN_LENGTH = 43  # 32 bytes of HMAC-SHA256 in unpadded base64url
_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
_SALT = "surveys.invitation-token"


def new_nonce() -> str:
    return secrets.token_hex(16)


def invitation_token(nonce: str) -> str:
    digest = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.fullmatch(token or ""))
