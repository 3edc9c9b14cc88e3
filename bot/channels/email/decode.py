"""Turning MIME bytes into text without ever blanking a body.

Real mail lies about its charset (GBK labelled gb2312, Shift_JIS labelled ISO-2022-JP, raw 8-bit
with no label), so decoding is a fallback chain; a decode that had to replace characters is
flagged rather than hidden, so an engineer knows the text may be damaged.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.header import Header, decode_header

import charset_normalizer
import html_text

# Labels seen in the wild that Python does not know, or knows as a narrower charset than senders
# actually use (the superset decodes everything the narrow one does).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "iso-gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-2022-jp": "iso2022_jp_ext",
    "shift_jis": "cp932",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "us-ascii": "utf-8",  # 8-bit bytes under an ascii label are nearly always UTF-8 or Latin-1
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",  # Windows mailers label cp1252 as Latin-1 (curly quotes, €)
    "latin1": "cp1252",
    "latin-1": "cp1252",
}


_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    lossy: bool
    charset: str


def normalise_charset(label: str | None) -> str:
    """Map a declared charset label to a Python codec name ('' when unusable)."""
    if not label:
        return ""
    name = label.strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL in the label ("charset=\x00")
        return ""


def decode_bytes(data: bytes, declared: str | None) -> Decoded:
    """Decode with the declared charset, then UTF-8, then a detected one; flag a lossy result."""
    candidates = [c for c in (normalise_charset(declared), "utf-8") if c]
    for charset in dict.fromkeys(candidates):
        try:
            return Decoded(data.decode(charset), lossy=False, charset=charset)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            return Decoded(data.decode(best.encoding), lossy=False, charset=best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    fallback = candidates[0]
    return Decoded(data.decode(fallback, errors="replace"), lossy=True, charset=fallback)


def decode_header_value(raw: str | None) -> str:
    """Decode RFC 2047 encoded words; undecodable words keep their raw text, never raise."""
    if not raw:
        return ""
    raw = str(raw)
    try:
        parts = decode_header(raw)
    except (ValueError, LookupError, AssertionError):
        return _unfold(raw)
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_bytes(chunk, charset).text)
    return _unfold("".join(out))


def raw_header(value: object) -> str:
    """A header's text as sent, with raw UTF-8 (RFC 6532, SMTPUTF8) recovered.

    compat32 keeps 8-bit header bytes as surrogate escapes (and wraps them in ``Header``, whose
    ``str`` turns them into U+FFFD). The bytes are recovered and decoded: UTF-8, or the fallback
    chain for the legacy 8-bit charsets some mailers still put in headers.
    """
    if value is None:
        return ""
    if isinstance(value, Header):
        chunks = getattr(value, "_chunks", None)  # the raw (text, charset) pieces
        text = "".join(str(c[0]) for c in chunks) if chunks else str(value)
    else:
        text = str(value)
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("utf-8", errors="surrogateescape")
    return decode_bytes(data, "utf-8").text


def html_to_text(html: str) -> str:
    """Readable text from an HTML body (paragraphs and line breaks kept)."""
    try:
        return str(html_text.extract_text(html, guess_layout=True))
    except (ValueError, TypeError):
        # lxml refuses some inputs (e.g. XML declarations with encodings); strip tags crudely.
        return _TAG.sub(" ", html)


def _unfold(value: str) -> str:
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())
