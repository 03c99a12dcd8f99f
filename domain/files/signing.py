"""Signed download tokens for the app's own download route (local storage): HMAC-SHA256 over what the route needs
to serve one file revision until a moment, so that serving needs no session and cannot be widened by the holder."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID


class BadToken(Exception):
    """Forged, altered, malformed or expired."""


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    download_id: UUID  # the audit row
    sha256: str
    name: str
    content_type: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(grant: DownloadGrant, key: bytes) -> str:
    payload = json.dumps(
        [str(grant.download_id), grant.sha256, grant.name, grant.content_type, int(grant.expires_at.timestamp())],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    body = _b64(payload)
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def verify(token: str, key: bytes, now: datetime) -> DownloadGrant:
    body, dot, signature = token.partition(".")
    if not dot or len(token) > 2048:
        raise BadToken("malformed")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        raise BadToken("bad signature")
    try:
        download_id, sha256, name, content_type, expires = json.loads(_unb64(body))
        grant = DownloadGrant(UUID(download_id), sha256, name, content_type, datetime.fromtimestamp(expires, UTC))
    except (ValueError, TypeError) as error:
        raise BadToken("malformed") from error
    if now >= grant.expires_at:
        raise BadToken("expired")
    return grant


def sign_upload(upload_id: UUID, size: int, expires_at: datetime, key: bytes) -> str:
    """A token for the app's own upload route: this upload, exactly `size` bytes, until `expires_at`."""
    body = _b64(json.dumps(["upload", str(upload_id), size, int(expires_at.timestamp())]).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def verify_upload(token: str, key: bytes, now: datetime) -> tuple[UUID, int]:
    body, dot, signature = token.partition(".")
    if not dot or len(token) > 512:
        raise BadToken("malformed")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        raise BadToken("bad signature")
    try:
        kind, upload_id, size, expires = json.loads(_unb64(body))
        if kind != "upload":
            raise ValueError(kind)
        parsed = UUID(upload_id), int(size)
        expires_at = datetime.fromtimestamp(expires, UTC)
    except (ValueError, TypeError) as error:
        raise BadToken("malformed") from error
    if now >= expires_at:
        raise BadToken("expired")
    return parsed
