"""What every reply we deliver must look like in its header block, whatever the customer sent."""

from __future__ import annotations

import email
import email.policy


def assert_clean_headers(raw: bytes, to: str | None = None) -> None:
    """Check a delivered reply's header block.

    ASCII only (non-ASCII must be RFC 2047 encoded words: we do not use SMTPUTF8), CRLF lines of
    at most 998 octets (RFC 5322 §2.1.1), no control characters, exactly one To (``to`` when
    given), no Bcc or Cc, no header twice, and nothing the stdlib's strict parser flags.
    """
    head, sep, _ = raw.partition(b"\r\n\r\n")
    assert sep, "no blank line between headers and body"
    assert all(b < 0x80 for b in head), "raw 8-bit in headers (RFC 2047 expected)"
    lines = head.split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert all(len(line) <= 998 for line in lines), max(len(line) for line in lines)
    assert all(32 <= b < 127 or b == 9 for line in lines for b in line), "control character"
    names = [line.split(b":", 1)[0].lower() for line in lines if line[:1] not in (b" ", b"\t")]
    assert names.count(b"to") == 1, names
    assert b"bcc" not in names, names
    assert b"cc" not in names, names
    assert len(names) == len(set(names)), names
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    (address,) = parsed["To"].addresses
    if to is not None:
        assert address.addr_spec == to
    for name, value in parsed.items():
        assert not getattr(value, "defects", ()), (name, value.defects)
