"""Abbreviation definitions: "Foo Network (FooNet)" and "BZN (Bar Zeta Network)".

The matching is Schwartz and Hearst's (PSB 2003): walk the short form right to left, finding each
of its letters in the candidate long form, the first letter at the start of a word. It needs no
training and finds in-word letters ("Foo NETwork" -> FooNet) that initials alone miss.
"""

from __future__ import annotations

from kg.extract.shapes import is_quantity, is_score


def best_long_form(short: str, words: list[str]) -> int | None:
    """How many of the trailing ``words`` spell out ``short``, or None if they do not.

    Args:
        short: the short form, e.g. ``FooNet``.
        words: the words before the parenthesis, nearest last.

    Returns:
        The number of words (counted from the end) that make up the shortest long form.
    """
    # Digits are skipped: "ZAR4Rec" abbreviates "...for reranking Recommendation" without a 4.
    letters = [c.lower() for c in short if c.isalpha()]
    if not letters or not short[0].isalnum():
        return None
    # ...but digits that lead the short form lead its long form too: "3DZS" is "3D Zorb Splatting",
    # whose first letter starts no word
    lead = short[: len(short) - len(short.lstrip("0123456789"))]
    text = " ".join(words)
    limit = min(len(letters) + 5, 2 * len(letters))
    s, i = len(letters) - 1, len(text) - 1
    while s >= 0:
        c = letters[s]
        while i >= 0 and (text[i].lower() != c or (s == 0 and not _starts_word(text, i, lead))):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = text.rfind(" ", 0, i + 1) + 1
    count = len(text[start:].split())
    if count > limit or count >= len(words) + 1:
        return None
    # A long form must be longer than its short form, or it is just the same word twice.
    long_form = text[start:]
    if len(long_form) <= len(short) or long_form.casefold() == short.casefold():
        return None
    if "%" in long_form:  # "gains of up to 46% (GUT-4)": a result, whose letters spell the name by chance
        return None
    return count


def _starts_word(text: str, i: int, lead: str) -> bool:
    """Whether ``text[i]`` starts a word, or follows ``lead`` (digits) that start one."""
    if lead and i >= len(lead) and text.startswith(lead, i - len(lead)):
        i -= len(lead)
    return i == 0 or not text[i - 1].isalnum()


def is_short_form(text: str) -> bool:
    """Whether parenthesised ``text`` can be an abbreviation: one or two words, a capital, <= 12 chars,
    not a quantity ("larger models (7-11B)"), nor a score ("(ZFD 18.79)", "(Avg. 80.1%)")."""
    words = text.split()
    return (1 <= len(words) <= 2 and len(text) <= 12 and text[0].isalnum() and any(c.isupper() for c in text)
            and not any(c in text for c in ",;:=%") and not is_quantity(text) and not is_score(words[-1]))
