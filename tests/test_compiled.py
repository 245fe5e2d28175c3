"""The extraction rules compiled by mypyc (kg/_build.py) do what their Python source does."""

from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract import compiled, stale_modules
from tests.conftest import SHARED

SCIREX = SHARED / "eval" / "scirex"


def _explain(listings: list[Path], *, pure: bool) -> str:
    """``kg extract --explain`` of ``listings``: every record, and every item with its rule and sentence."""
    env = {k: v for k, v in os.environ.items() if k != "KG_PURE_PYTHON"} | ({"KG_PURE_PYTHON": "1"} if pure else {})
    result = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "extract", *map(str, listings),
                             "--explain", "--quiet", "--jobs", "1"],
                            capture_output=True, text=True, env=env, check=True, timeout=300)
    return result.stdout + result.stderr


def test_the_rules_run_compiled_where_ci_requires_it() -> None:
    if not os.environ.get("KG_REQUIRE_COMPILED"):
        pytest.skip("KG_REQUIRE_COMPILED is not set: plain Python rules are allowed here")
    assert compiled(), "the install did not compile the extraction rules (see kg/_build.py)"


def test_compiled_rules_give_what_the_source_gives(dev_listings: list[Path]) -> None:
    if not compiled():
        pytest.skip("the extraction rules are not compiled here: there is one version of them")
    listings = dev_listings + sorted(SCIREX.glob("*.txt"))
    source, native = _explain(listings, pure=True), _explain(listings, pure=False)
    assert source.count("proposed") > 50  # the comparison holds real extractions, not two empty outputs
    assert native == source


def test_a_compiled_module_older_than_its_source_is_stale(tmp_path: Path) -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name, compiled_at, edited_at in (("edited", 100, 200), ("fresh", 200, 100)):
        (tmp_path / f"{name}.py").write_text("")
        (tmp_path / f"{name}{suffix}").write_bytes(b"")
        os.utime(tmp_path / f"{name}{suffix}", (compiled_at, compiled_at))
        os.utime(tmp_path / f"{name}.py", (edited_at, edited_at))
    (tmp_path / "never_compiled.py").write_text("")
    assert stale_modules(tmp_path, ["edited", "fresh", "never_compiled"]) == ["edited"]
