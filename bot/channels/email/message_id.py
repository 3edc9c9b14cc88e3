"""Our outbound Message-IDs carry the ticket reference and an HMAC.

``<SR-2026-004217-T.5f2a9c1e.3b8e1f0a9d2c4b67@desk.example>``: a reply to it is matched to its
ticket even when the thread's other messages are unknown to us, and nobody without the key can
mint an id that points at someone else's ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_OURS = re.compile(r"^(?P<ref>[A-Za-z0-9-]+)\.(?P<nonce>[0-9a-f]{8,32})\.(?P<sig>[0-9a-f]{16})@")


@dataclass(frozen=True, slots=True)
class MessageIdSigner:
    key: bytes
    domain: str

    def mint(self, reference: str, nonce: str | None = None) -> str:
        """A new id (without angle brackets) for a message about ``reference``."""
        nonce = nonce or secrets.token_hex(8)
        return f"{reference}.{nonce}.{self._sign(reference, nonce)}@{self.domain}"

    def reference_of(self, message_id: str) -> str | None:
        """The reference an id of ours carries, or None if it is not ours or is forged."""
        m = _OURS.match(message_id)
        if not m:
            return None
        expected = self._sign(m.group("ref"), m.group("nonce"))
        return m.group("ref") if hmac.compare_digest(expected, m.group("sig")) else None

    def _sign(self, reference: str, nonce: str) -> str:
        mac = hmac.new(self.key, f"{reference}.{nonce}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]
