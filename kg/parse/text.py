"""Bytes to numbered lines, reporting what could not be decoded instead of failing.

A byte that is not UTF-8 is read as Windows-1252 (or, for the five bytes that encoding leaves
unassigned, replaced with U+FFFD), line by line, each line with a warning naming it and the
column, so one bad byte never costs the rest of the file.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from kg.records import Problem

# Control characters that never occur in a text listing; tab, newline and carriage return do.
_CONTROL = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D, 0x0C}
_SNIFF = 8192
# Characters that print as nothing (zero-width space, word joiner, a byte-order mark inside the
# text, soft hyphen, direction marks): copied from a web page they split words, so that a name
# with one inside no longer reads as a name. Zero-width joiners stay; some scripts need them.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u200e\u200f"))
# Spaces other than the ASCII one (no-break, thin, narrow and ideographic spaces, the line and
# paragraph separators): a page copied from a browser keeps "Jun&nbsp;3" as U+00A0, where the
# layouts look for a space. They are read as spaces.
SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                                "\u200a\u202f\u205f\u3000\u2028\u2029"), " ")
CLEAN = INVISIBLE | SPACES  # what every line that is not ASCII is translated with
# The error handler that reads the bytes UTF-8 cannot as Windows-1252: a page saved as "ANSI" text
# on Windows is in it, and Latin-1 text reads the same in it. With U+FFFD in their place, the "·"
# (0xB7) that separates a daily listing's authors from its date was lost, and the daily layout
# read those lines as papers of their own.
AS_CP1252 = "kg-as-cp1252"


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start: error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(AS_CP1252, _as_cp1252)


@dataclass(slots=True, frozen=True)
class Line:
    """A line of a listing with its 1-based number; ``text`` has no line ending."""

    number: int
    text: str


def looks_binary(data: bytes) -> bool:
    """True when the start of ``data`` is not text: a NUL byte, or many control bytes."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return bool(head) and controls / len(head) > 0.05


def raw_lines(data: bytes) -> list[bytes]:
    """``data`` cut at its line ends: ``\\n`` (a ``\\r`` before it stays on the line), or ``\\r``
    alone in a file without a ``\\n``, as classic Mac OS wrote them."""
    if b"\n" not in data and b"\r" in data:
        return data.split(b"\r")
    return data.split(b"\n")


def decode_lines(data: bytes, file: str) -> tuple[list[Line], list[Problem]]:
    """Split ``data`` into lines, decoding each as UTF-8.

    Args:
        data: the raw bytes of a listing file.
        file: the name used in problem reports.

    Returns:
        The lines (a leading byte-order mark and ``\\r`` line endings removed, other spaces read as
        spaces, invisible characters dropped, letters composed) and one warning per line that was
        not UTF-8.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[Line] = []
    problems: list[Problem] = []
    for number, raw in enumerate(raw_lines(data), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            text = raw.decode("utf-8", errors=AS_CP1252)
            read = raw[e.start: e.end].decode("cp1252", errors="replace")
            said = "replaced with U+FFFD" if read == "\ufffd" else f"read as Windows-1252 {read!r}"
            problems.append(Problem(file, number, "warning",
                                    f"byte 0x{raw[e.start]:02x} at column {e.start + 1} is not UTF-8: {said}",
                                    text[:200]))
        if not text.isascii():
            # composed (NFC): a page copied on macOS can spell "ö" as "o" and a combining
            # diaeresis, and the keys of titles and names drop combining marks, so one title
            # written both ways would be two papers
            text = unicodedata.normalize("NFC", text.translate(CLEAN))
        if "\x00" in text:
            text = text.replace("\x00", "")
            problems.append(Problem(file, number, "warning", "NUL bytes removed", text[:200]))
        lines.append(Line(number, text))
    if lines and not lines[-1].text:
        lines.pop()
    return lines, problems
