"""Hostile mail through the whole intake: store_raw → process (parse, screen, match_thread,
record, extract, ticket, merge, reply) → outbox delivery to the maildir.

``tests/channels/email/test_parse.py`` already fuzzes the parser alone; a parser that never
raises is not enough, because every later step reads what it produced (a 5,000-character
filename reaches the attachment store, a broken Message-ID reaches our reply's In-Reply-To). The
properties checked for every generated message:

* ``process`` never raises and never ends ``failed``: a message we cannot understand is still
  stored and processed, or screened, with a clear outcome;
* nothing is written outside the attachment store, the maildir outbox and the database;
* attachments are stored under content-addressed names, never the sender's filename;
* every reply queued for the message is delivered with headers that parse cleanly.

SQLite only, on purpose: the properties are about parsing and files, not the database, and the
example counts keep the whole file well under a minute.
"""

from __future__ import annotations

import base64
import hashlib
import os
import quopri
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from storage.models import Attachment, Message, RawMessage
from tests.conftest import Clock, make_config, shared_extractor
from tests.outbox.header_checks import assert_clean_headers

# One bot for the whole module: hypothesis runs many examples per test, and a function-scoped
# fixture would be shared between them anyway (HealthCheck.function_scoped_fixture).
FUZZ = settings(
    max_examples=60,
    deadline=None,  # the first example of a run loads the extractor; sizes vary by 1000×
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Desk:
    """The bot under test, rooted three levels below a directory the test watches, so a
    ``../../x`` written relative to any of its directories would still be seen."""

    def __init__(self) -> None:
        self.watched = Path(tempfile.mkdtemp(prefix="intake-fuzz-"))
        self.root = self.watched / "a" / "b" / "desk"
        self.root.mkdir(parents=True)
        config = make_config(f"sqlite:///{self.root / 'intake.db'}", self.root)
        self.app = App(config, Clock(), shared_extractor)
        self.files = self.root / "files"
        self.outbox = self.root / "outbox"

    def everything(self) -> set[Path]:
        found: set[Path] = set()
        for top, dirs, names in os.walk(self.watched):
            found.update(Path(top) / n for n in (*dirs, *names))
        return found

    def allowed(self, path: Path) -> bool:
        if path.is_relative_to(self.files) or path.is_relative_to(self.outbox):
            return True
        return path.parent == self.root and path.name.startswith("intake.db")  # -wal, -journal


@pytest.fixture(scope="module")
def desk() -> Iterator[Desk]:
    d = Desk()
    yield d
    d.app.close()


def run_through_intake(desk: Desk, raw: bytes) -> None:
    """Store and process ``raw``, deliver what it queued, and check every property."""
    app = desk.app
    before = desk.everything()
    raw_id = app.intake.store_raw(raw, channel="email", mailbox="support@desk.example")
    result = app.intake.process(raw_id)
    assert result.status in ("processed", "screened", "duplicate"), result.outcome
    assert result.outcome
    flushed = app.outbox.flush()
    # Without SMTPUTF8 (RFC 6531) a non-ASCII mailbox cannot be written to; the reply fails at
    # once with that reason on the ticket. Any other failure is a bug.
    assert all("not a deliverable address" in e for e in flushed.errors), flushed
    new = desk.everything() - before
    outside = sorted(str(p) for p in new if not desk.allowed(p))
    assert not outside, f"written outside the attachment store: {outside}"
    _check_attachments(desk, raw_id)
    for path in new:
        if path.parent == desk.outbox / "new":
            assert_clean_headers(path.read_bytes())


def _check_attachments(desk: Desk, raw_id: int) -> None:
    with desk.app.sessions() as session:
        raw = session.get(RawMessage, raw_id)
        assert raw is not None
        assert raw.status != "failed", raw.error
        rows = session.scalars(
            select(Attachment).join(Message).where(Message.raw_message_id == raw_id)
        ).all()
        for row in rows:
            assert row.stored_name == f"{row.sha256[:2]}/{row.sha256}"  # never the sender's name
            stored = desk.files / row.stored_name
            assert stored.resolve().is_relative_to(desk.files.resolve())
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == row.sha256
            assert "/" not in row.filename
            assert "\\" not in row.filename
            assert all(ch.isprintable() for ch in row.filename)
            assert 0 < len(row.filename) <= 255


# --- strategies ---------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../../x",
    "../../../../etc/passwd",
    "..\\..\\x",
    "..\\..\\windows\\system32\\drivers\\etc\\hosts",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "\\\\server\\share\\x",
    "a\x00b.txt",
    "\x00",
    "ctl\x01\x07\x1b[31m\x7f.log",
    "line\r\nbreak.txt",
    "x" * 5000,
    "CON",
    "nul.txt",
    "COM1",
    "LPT1.log",
    "aux",
    ".",
    "..",
    "",
    " ",
    ".htaccess",
    "file.",
    "\u202etxt.exe",  # right-to-left override
    "\ufeffbom.txt",
]
_names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.text(max_size=300),
    st.lists(
        st.sampled_from(["..", ".", "/", "\\", "x", "\x00", "C:", "%2e", "%2f"]), max_size=30
    ).map("".join),
)


def _filename_params(name: str, how: str) -> str:
    """The filename as a Content-Disposition parameter, in one of the ways mailers write it."""
    data = name.encode("utf-8", "surrogatepass")
    if how == "rfc2231":
        return "filename*=utf-8''" + urllib.parse.quote(data, safe="")
    if how == "rfc2231-continued":
        quoted = urllib.parse.quote(data, safe="")
        pieces = [quoted[i : i + 40] for i in range(0, len(quoted), 40)] or [""]
        return "; ".join(f"filename*{i}*={'utf-8' + chr(39) * 2 if i == 0 else ''}{p}"
                         for i, p in enumerate(pieces))  # fmt: skip
    if how == "encoded-word":
        return 'filename="=?utf-8?b?' + base64.b64encode(data).decode() + '?="'
    if how == "bare":
        return "filename=" + name
    return 'filename="' + name.replace('"', '\\"') + '"'


_CHARSETS = [
    "utf-8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "x-unknown",
    "utf-7",
    "unicode-1-1-utf-7",
    "utf-16",
    "utf-32",
    "gb2312",
    "iso-2022-jp",
    "shift_jis",
    "bogus-charset-9",
    "",
    '"utf-8',
    "utf-8; format=flowed",
    "\x00",
]
_ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "garbage", ""]


@st.composite
def leaf_parts(draw: st.DrawFn) -> bytes:
    """One body part: declared charset and transfer encoding that may lie about the bytes."""
    ctype = draw(
        st.sampled_from(
            ["text/plain", "text/html", "application/octet-stream", "image/png", "text/csv",
             "message/delivery-status", "text/rfc822-headers", "bogus", "text/"]
        )
    )  # fmt: skip
    charset = draw(st.sampled_from(_CHARSETS))
    text = draw(st.text(max_size=300))
    codec = draw(st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252", "raw"]))
    data = draw(st.binary(max_size=300)) if codec == "raw" else text.encode(codec, "replace")
    cte = draw(st.sampled_from(_ENCODINGS))
    if cte == "base64" and draw(st.booleans()):
        data = base64.encodebytes(data)
        if draw(st.booleans()):  # truncated or polluted base64
            data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=8))
    elif cte == "quoted-printable" and draw(st.booleans()):
        data = quopri.encodestring(data) + draw(st.sampled_from([b"=", b"=\r\n", b"=ZZ", b"=0"]))
    head = f"Content-Type: {ctype}; charset={charset}\r\n"
    if cte:
        head += f"Content-Transfer-Encoding: {cte}\r\n"
    if draw(st.booleans()):
        disposition = draw(st.sampled_from(["attachment", "inline", "bogus", ""]))
        how = draw(
            st.sampled_from(["quoted", "rfc2231", "rfc2231-continued", "encoded-word", "bare"])
        )
        head += f"Content-Disposition: {disposition}; {_filename_params(draw(_names), how)}\r\n"
    if draw(st.booleans()):
        head += f'Content-Type: {ctype}; name="{draw(_names)}"\r\n'  # a second, conflicting one
    return head.encode("utf-8", "surrogatepass") + b"\r\n" + data


@st.composite
def bodies(draw: st.DrawFn, depth: int = 0) -> bytes:
    """A MIME entity: a leaf, a multipart (boundaries right, missing, wrong or unterminated),
    or an enclosed message/rfc822."""
    kind = draw(st.sampled_from(["leaf", "multipart", "rfc822"]) if depth < 4 else st.just("leaf"))
    if kind == "leaf":
        return draw(leaf_parts())
    if kind == "rfc822":
        inner = draw(bodies(depth + 1))
        return (
            b"Content-Type: message/rfc822\r\n\r\nFrom: inner@x.example\r\nSubject: in\r\n" + inner
        )
    boundary = draw(st.sampled_from(["b1", "==b==", "", "b b", 'b"', "x" * 200]))
    children = draw(st.lists(bodies(depth + 1), min_size=0, max_size=3))
    declared = draw(st.sampled_from(["ok", "missing", "other"]))
    subtype = draw(st.sampled_from([b"mixed", b"alternative", b"related", b"report"]))
    header = b"Content-Type: multipart/" + subtype
    if declared == "ok":
        header += b'; boundary="' + boundary.encode() + b'"'
    elif declared == "other":
        header += b"; boundary=nothing-like-it"
    out = header + b"\r\n\r\npreamble\r\n"
    for child in children:
        out += b"--" + boundary.encode() + b"\r\n" + child + b"\r\n"
    if draw(st.booleans()):  # else unterminated
        out += b"--" + boundary.encode() + b"--\r\n"
    return out


_header_text = st.text(max_size=200)


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """A whole message: hostile header values and a generated MIME body."""
    name = draw(_header_text)
    address = draw(st.sampled_from(["jane@acme.example", "", "not-an-address", "a@b", "<>",
                                    "=?utf-8?q?x=40y.example?=", "jöse@acme.example"]))  # fmt: skip
    subject = draw(_header_text)
    head = f"From: {name} <{address}>\r\nSubject: {subject}\r\n"
    if draw(st.booleans()):
        start = draw(st.sampled_from(["<a@b>", "", "<>", "bare@id", "<é@x>"]))
        head += f"Message-ID: {start}{draw(_header_text)}\r\n"
    if draw(st.booleans()):
        head += f"In-Reply-To: <{draw(_header_text)}>\r\n"
    if draw(st.booleans()):
        head += "References: " + " ".join(f"<{draw(_header_text)}@r>" for _ in range(3)) + "\r\n"
    raw = head.encode("utf-8", "surrogatepass") + draw(bodies())
    return raw.replace(b"\r\n", draw(st.sampled_from([b"\r\n", b"\n", b"\r"])))


# --- tests -------------------------------------------------------------------------------------


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_arbitrary_bytes_are_handled(desk: Desk, raw: bytes) -> None:
    run_through_intake(desk, raw)


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes_after_plausible_headers_are_handled(desk: Desk, raw: bytes) -> None:
    head = b"From: Jane <jane@acme.example>\r\nSubject: printer dead\r\n"
    run_through_intake(desk, head + raw)


@settings(FUZZ, max_examples=300)
@given(raw=messages())
def test_generated_hostile_mime_is_handled(desk: Desk, raw: bytes) -> None:
    run_through_intake(desk, raw)


@FUZZ
@given(
    name=_names,
    how=st.sampled_from(["quoted", "rfc2231", "rfc2231-continued", "encoded-word", "bare"]),
    content=st.binary(min_size=1, max_size=200),
)
def test_hostile_attachment_names_never_become_paths(
    desk: Desk, name: str, how: str, content: bytes
) -> None:
    raw = (
        b"From: Jane <jane@acme.example>\r\nSubject: log attached\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nthe switch log is attached\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        + b"Content-Disposition: attachment; "
        + _filename_params(name, how).encode("utf-8", "surrogatepass")
        + b"\r\n\r\n"
        + base64.encodebytes(content)
        + b"--b--\r\n"
    )
    run_through_intake(desk, raw)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("how", ["quoted", "rfc2231", "encoded-word"])
def test_each_named_hostile_filename(desk: Desk, name: str, how: str) -> None:
    raw = (
        b"From: Jane <jane@acme.example>\r\nSubject: file " + how.encode() + b"\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nsee the file\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        + b"Content-Disposition: attachment; "
        + _filename_params(name, how).encode("utf-8", "surrogatepass")
        + b"\r\n\r\n"
        + f"content of {name!r} as {how}".encode("utf-8", "surrogatepass")
        + b"\r\n--b--\r\n"
    )
    run_through_intake(desk, raw)
    with desk.app.sessions() as session:
        stored = session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
    assert stored is not None
    assert stored.stored_name == f"{stored.sha256[:2]}/{stored.sha256}"


@settings(FUZZ, max_examples=25)
@given(
    subject_len=st.integers(0, 20_000),
    name_len=st.integers(0, 5_000),
    references=st.integers(0, 2_000),
    received=st.integers(0, 1_000),
    word=st.sampled_from(["x", "é", "ab ", "\t", "=?utf-8?q?", "<"]),
)
def test_huge_headers_are_handled(
    desk: Desk, subject_len: int, name_len: int, references: int, received: int, word: str
) -> None:
    raw = (
        "".join(
            f"Received: from relay{i}.example by mx.example; Mon, 23 Nov 2026\r\n"
            for i in range(received)
        )
        + f"From: {(word * name_len)[:name_len]} <jane@acme.example>\r\n"
        + f"Subject: {(word * subject_len)[:subject_len]}\r\n"
        + f"Message-ID: <{'m' * name_len}@acme.example>\r\n"
        + "References: "
        + " ".join(f"<r{i}.{word * 3}@acme.example>" for i in range(references))
        + "\r\n\r\nOur firewall is down since this morning.\r\n"
    ).encode()
    run_through_intake(desk, raw)


@pytest.mark.parametrize("length", [900, 999, 1500, 5000])
def test_overlong_message_id_and_sender_twice(desk: Desk, length: int) -> None:
    """Found by the fuzzer: ids and addresses longer than their columns were truncated on
    insert but looked up in full, so a second message carrying the same overlong Message-ID or
    sender address (different content) failed with a unique-constraint violation."""
    for n in range(2):
        raw = (
            f"From: Jane <{'j' * length}@acme.example>\r\n"
            f"Subject: overlong {length} {n}\r\n"
            f"Message-ID: <{'m' * length}@acme.example>\r\n\r\n"
            f"Our firewall is down since this morning ({n}).\r\n"
        ).encode()
        run_through_intake(desk, raw)


@pytest.mark.parametrize("depth", [31, 50, 120])
def test_deep_multipart_nesting(desk: Desk, depth: int) -> None:
    raw = b"From: Jane <jane@acme.example>\r\nSubject: nested\r\n"
    for i in range(depth):
        raw += f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
    raw += b"Content-Type: text/plain\r\n\r\nthe innermost text\r\n"
    for i in reversed(range(depth)):
        raw += f"--b{i}--\r\n".encode()
    run_through_intake(desk, raw)


@pytest.mark.parametrize("depth", [5, 30, 60])
def test_deep_message_rfc822_nesting(desk: Desk, depth: int) -> None:
    inner = b"From: someone@x.example\r\nSubject: innermost\r\n\r\nserial FGT60FTK20012345\r\n"
    for i in range(depth):
        inner = (
            f"From: fwd{i}@acme.example\r\nSubject: Fwd {i}\r\n".encode()
            + b'Content-Type: multipart/mixed; boundary="o"\r\n\r\n--o\r\n'
            + b"Content-Type: text/plain\r\n\r\nforwarding\r\n--o\r\n"
            + b"Content-Type: message/rfc822\r\n\r\n"
            + inner
            + b"\r\n--o--\r\n"
        )
    run_through_intake(desk, inner)


@pytest.mark.parametrize(
    ("charset", "data"),
    [
        ("utf-8", "Café €5 déjà".encode("latin-1", "replace")),  # declared utf-8, latin-1 bytes
        ("x-unknown", "Störung am Switch".encode()),
        ("utf-7", b"+AGEAYgBj- +ZeVnLIqe-"),
        ("utf-7", b"+++---+ZZZZ"),  # broken utf-7
        ("utf-16", b"\xff\xfea\x00b"),
        ("utf-16", b"\xff\xfe\x00"),  # odd length
        ("iso-2022-jp", b"\x1b$B%F%9%H\x1b(B and then garbage \x1b$"),
        ("utf-8", b"mixed " + "ünï".encode("latin-1") + b" " + "日本".encode()),
        ("", b"\x80\x81\x82\xff" * 50),
    ],
)
def test_broken_charsets(desk: Desk, charset: str, data: bytes) -> None:
    raw = (
        f"From: =?{charset or 'x'}?q?J=E9r=F4me?= <jerome@acme.example>\r\n"
        f"Subject: =?{charset or 'x'}?b?{base64.b64encode(data[:40]).decode()}?=\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + data
    run_through_intake(desk, raw)
