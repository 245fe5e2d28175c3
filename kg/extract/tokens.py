"""A tokenizer for paper abstracts, and the clean-up that comes before it.

spaCy's English tokenizer splits ``ZERT-INN`` into three tokens and ``FooNet-1K`` into two; in
abstracts a hyphenated word is nearly always one name or one compound, so here hyphens stay
inside tokens and only punctuation at a word's edges, a possessive (``FooNet's``), slashes and
dashes between words split. A link is one token.
"""

from __future__ import annotations

import re
import unicodedata

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.extract.shapes import is_name_shaped

_PREFIX = re.compile(r"""^[\[\("'“‘{<*]""")
_SUFFIX = re.compile(r"""(?:[\]\)"'”’},;:.!?>*]|['’]s)$""")
_INFIX = re.compile(r"""(?<=[\w)])(?:/|--|—|–|…)(?=[\w(])"""  # "Foo-10/100", "models--functions"
                    r"""|(?<=[A-Za-z]{2})[:;,](?=[A-Za-z])"""  # "ZOMM:Concentrated"
                    r"""|(?<=[a-z])\.(?=[A-Z][a-z])"""  # "space.In this paper"
                    r"""|\((?<=[A-Za-z]{2}\()(?=[A-Z][\w-]*\)?$)"""  # "Zorbic Module(ZM)"
                    r"""|\+(?<=\w{2}\+)(?=[A-Za-z]{2})""")  # "ZFT+ZPO": two methods, one after the other
# a link stays one token, so that no part of it ("github.com/BERT-similarity") reads as a name;
# without a scheme it is a host name ending in a common top-level domain, then a path
_URL = re.compile(r"(?:https?://|www\.|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|edu|co|dev|me)/)\S*",
                  re.IGNORECASE)
_ABBREVIATIONS = ["e.g.", "i.e.", "et al.", "etc.", "vs.", "cf.", "w.r.t.", "Fig.", "Eq.", "resp.", "approx.",
                  "a.k.a.", "Sec.", "Tab.", "al.", "St.", "Dr.", "No."]

_LATEX_COMMAND = re.compile(
    r"\\(?:mathbf|textbf|textit|emph|mathrm|texttt|text|mathcal|mathit|textsc|underline|boldsymbol|url)"
    r"\{([^{}]*)\}")
_LATEX_HREF = re.compile(r"\\href\{[^{}]*\}\{([^{}]*)\}")
_INLINE_MATH_WORD = re.compile(r"\$([^$\s]{1,30})\$")
# LaTeX's accents and escapes: Z\"orb, Qu\'anta, Q\&A; an accent only on a letter that takes
# it, for Zorb\'s is an escaped apostrophe
_LATEX_ACCENT = re.compile(r"""\\(["'`^=.])\{?([AEIOUYaeiouy])\}?|\\~\{?([AONaon])\}?""")
_COMBINING = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "=": "\u0304", ".": "\u0307"}
_LATEX_ESCAPE = re.compile(r"""\\([&%_#'"])""")
# LaTeX's spaces and unbreakable hyphen (``3\,ms``, ``Zorb\nobreakdash-2``), and the macros papers
# define for the Latin abbreviations (``\eg``), which end before a non-letter
_LATEX_SPACE = re.compile(r"\\[,;:! ]|\\nobreakdash(?=-)")
_LATEX_LATIN = re.compile(r"\\(eg|ie|etal|etc|vs|wrt|cf)(?![A-Za-z])\.?")  # with its own full stop, if written
_LATIN = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "vs": "vs.", "wrt": "w.r.t.", "cf": "cf."}
# LaTeX's unbreakable space, "scaling~(ZS)", "Zorb~2": a tilde that starts a word is "about"
_TILDE = re.compile(r"(?<=\S)~")


def clean_text(text: str) -> str:
    r"""Undo the LaTeX that listing sites leave in abstracts: ``$\mathbf{FooScore}$`` -> ``FooScore``."""
    # most abstracts have no LaTeX at all: a test for its marks is quicker than a search for it
    if "\\" in text:
        for _ in range(3):
            cleaned = _LATEX_HREF.sub(r"\1", _LATEX_COMMAND.sub(r"\1", text))
            if cleaned == text:
                break
            text = cleaned
        text = _LATEX_ESCAPE.sub(r"\1", _LATEX_ACCENT.sub(_accented, text))
        text = _LATEX_LATIN.sub(_latin, _LATEX_SPACE.sub(_space, text))
    if "~" in text:
        text = _TILDE.sub(" ", text)
    return _INLINE_MATH_WORD.sub(r"\1", text) if "$" in text else text


# A macro an author defines for the paper's own name, used bare outside math (``we propose \method,
# a ...``): named for what it stands for, or spelled as the name in lower case (``\zorbnet``)
_BARE_MACRO = re.compile(r"\\([A-Za-z]{2,})(?![A-Za-z{])")
_MATH = re.compile(r"\$[^$]*\$")
_OWN_MACRO = re.compile(r"(?:our|this)?(?:method|model|framework|approach|system|sys|impl|algo|ours?|short)"
                        r"(?:name|short)?", re.IGNORECASE)


def expand_own_macros(title: str, abstract: str) -> str:
    r"""``abstract`` with the macros that stand for the paper's own name written as that name, the
    words before the title's colon (``Zorb: Sorting Lists`` and ``we propose \method`` read ``we
    propose Zorb``); left as they are when the title names nothing that way."""
    own = title.partition(":")[0].strip() if ":" in title else ""
    if not own or len(own.split()) > 3 or "\\" not in abstract:
        return abstract
    spelled = "".join(ch for ch in own.lower() if ch.isalnum())
    # a placeholder stands for a coined name only: a title's opening words ("Beyond Lists: ...")
    # are as often a slogan, and the macro then names something the title does not
    coined = all(is_name_shaped(word) for word in own.split())

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        return own if (coined and _OWN_MACRO.fullmatch(name)) or name.lower() == spelled else match.group()

    pieces = []  # math is left alone: its commands are LaTeX's own
    at = 0
    for math in _MATH.finditer(abstract):
        pieces += [_BARE_MACRO.sub(expand, abstract[at:math.start()]), math.group()]
        at = math.end()
    return "".join([*pieces, _BARE_MACRO.sub(expand, abstract[at:])])


def _space(match: re.Match[str]) -> str:
    return "" if match.group().startswith("\\n") else " "


def _latin(match: re.Match[str]) -> str:
    return _LATIN[match.group(1)]


def _accented(match: re.Match[str]) -> str:
    mark, letter, tilde_letter = match.groups()
    return unicodedata.normalize("NFC", letter + _COMBINING[mark] if letter else tilde_letter + "\u0303")


class _TextKeepingTokenizer(Tokenizer):  # type: ignore[misc]
    """A tokenizer that leaves the text it was given in ``doc.user_data["kg_text"]``: spaCy's
    ``doc.text`` joins every token again each time it is asked (``kg.extract.lists.text_of``).

    This module stays plain Python: compiled by mypyc, this subclass of spaCy's compiled class
    calls itself for ever."""

    def __call__(self, text: str) -> Doc:
        doc: Doc = super().__call__(text)
        doc.user_data["kg_text"] = text
        return doc


def make_tokenizer(nlp: Language) -> Tokenizer:
    """The abstract tokenizer for ``nlp`` (see the module docstring)."""
    rules = {a: [{ORTH: a}] for a in _ABBREVIATIONS}
    return _TextKeepingTokenizer(nlp.vocab, rules=rules, prefix_search=_PREFIX.search,
                                 suffix_search=_SUFFIX.search, infix_finditer=_INFIX.finditer, url_match=_URL.match)
