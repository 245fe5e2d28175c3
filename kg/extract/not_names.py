"""Forms shaped like names that name no method or dataset: metrics, kinds of model, websites.

An abstract writes `zFID` as it writes a model's name, `ZLM` as it writes `Zorb-4`, and `Zorbhub`
as it writes a benchmark; none is one: a score, a kind of thing, a website. kg reads all three from
sources no annotated listing chose:

* a metric: a name ``kg/data/registry_names.tsv`` registers as a metric and as nothing else (the
  acronyms of torchmetrics' metrics, ``kg.extract.registries``);
* a kind of model: an acronym (``ZLM``) that the papers of the unannotated corpus write in the
  plural (``ZLMs``) in at least as many papers as they write it bare, and in five papers or
  more (``kg/data/name_usage.tsv``). One writes "three Xs" of a kind of thing, seldom of one model.
  The table counts forms case-folded, so an acronym that spells a common word of the field
  (``ZAP``, "zaps") is left out. The acronym may be written with a word before it (``Video-ZLMs``);
* a website: the name of a site that papers of the same corpus link to (``kg/data/websites.txt``),
  however it is spaced or cased (``Zorb Hub``).

The rules drop such a form where they would make it a candidate or a dataset; the role model
reads it as a feature (``field-word``), so that a paper's own evidence can still outweigh it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import common_words, websites
from kg.extract.registries import METRIC, registered_kinds
from kg.extract.shapes import norm_key
from kg.extract.usage import papers_naming

# Capitals at both ends and two or more of them: "ZLM", "VideoZLM", "Video-ZLM"; not "Zorb" or "ZorbNet-7B"
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z\- ]*[A-Z]$")
KIND_MIN_PLURAL_PAPERS = 5  # fewer papers than this say little of how the field writes a name


def is_metric(form: str) -> bool:
    """Whether the registries call ``form`` a metric and nothing else."""
    return registered_kinds([form]) == {METRIC}


def is_kind(form: str) -> bool:
    """Whether ``form`` (``ZLM`` or ``ZLMs``) is an acronym the corpus writes as a kind of thing."""
    singular = form[:-1] if form.endswith("s") else form
    if not _ACRONYM.match(singular):
        return False
    key = norm_key(singular)
    if key in common_words():
        return False
    plural = papers_naming(key + "s")
    return plural >= KIND_MIN_PLURAL_PAPERS and plural >= papers_naming(key)


def is_website(form: str) -> bool:
    """Whether ``form`` names a website the corpus links to."""
    return norm_key(form) in websites()


@lru_cache(maxsize=1 << 16)  # the rules ask of the same forms again and again; a long run meets many once
def is_not_name(form: str) -> bool:
    """Whether ``form`` is a metric, a kind of model or a website."""
    return is_metric(form) or is_kind(form) or is_website(form)


class NotNames:
    """``form in NotNames()``: ``is_not_name(form)``, for the rules' membership tests."""

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and is_not_name(form)
