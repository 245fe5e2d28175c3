"""Bytes to numbered lines, reporting what could not be decoded instead of failing.

Undecodable bytes are replaced (U+FFFD) line by line, each with a warning naming the line and
column, so one bad byte never costs the rest of the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.records import Problem

# Control characters that never occur in a text listing; tab, newline and carriage return do.
_CONTROL = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D, 0x0C}
_SNIFF = 8192
# Characters that print as nothing (zero-width space, word joiner, a byte-order mark inside the
# text, soft hyphen, direction marks): copied from a web page they split words, so that a name
# with one inside no longer reads as a name. Zero-width joiners stay; some scripts need them.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u200e\u200f"))


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


def decode_lines(data: bytes, file: str) -> tuple[list[Line], list[Problem]]:
    """Split ``data`` into lines, decoding each as UTF-8.

    Args:
        data: the raw bytes of a listing file.
        file: the name used in problem reports.

    Returns:
        The lines (a leading byte-order mark and ``\\r`` line endings removed) and one warning per
        line that held undecodable bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[Line] = []
    problems: list[Problem] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            text = raw.decode("utf-8", errors="replace")
            problems.append(
                Problem(file, number, "warning",
                        f"undecodable byte 0x{raw[e.start]:02x} at column {e.start + 1}, replaced with U+FFFD",
                        text[:200])
            )
        if "\x00" in text:
            text = text.replace("\x00", "")
            problems.append(Problem(file, number, "warning", "NUL bytes removed", text[:200]))
        if not text.isascii():
            text = text.translate(INVISIBLE)
        lines.append(Line(number, text))
    if lines and not lines[-1].text:
        lines.pop()
    return lines, problems
