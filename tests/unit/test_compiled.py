"""The extraction rules compiled by mypyc (kg/build_backend.py) do what their Python source does."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.compiled_modules import compiled, manifest, source_hash, stale_modules
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
    assert compiled(), "the install did not compile the extraction rules (see kg/build_backend.py)"


def test_compiled_rules_give_what_the_source_gives(dev_listings: list[Path]) -> None:
    if not compiled():
        pytest.skip("the extraction rules are not compiled here: there is one version of them")
    listings = dev_listings + sorted(SCIREX.glob("*.txt"))
    source, native = _explain(listings, pure=True), _explain(listings, pure=False)
    assert source.count("proposed") > 50  # the comparison holds real extractions, not two empty outputs
    assert native == source


def test_a_module_edited_since_it_was_compiled_is_stale(tmp_path: Path) -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (tmp_path / "kg").mkdir()
    for name in ("edited", "fresh", "never_compiled"):
        (tmp_path / "kg" / f"{name}.py").write_text(f"# {name}\n")
    for name in ("edited", "fresh"):
        (tmp_path / "kg" / f"{name}{suffix}").write_bytes(b"")
    modules = ["kg.edited", "kg.fresh", "kg.never_compiled"]
    manifest(tmp_path).write_text(json.dumps({m: source_hash(m, tmp_path) for m in modules}))
    assert stale_modules(modules, tmp_path) == []
    (tmp_path / "kg" / "edited.py").write_text("# edited since\n")
    assert stale_modules(modules, tmp_path) == ["kg.edited"]
    manifest(tmp_path).unlink()  # compiled by something else than our build: nothing says what from
    assert stale_modules(modules, tmp_path) == ["kg.edited", "kg.fresh"]


@pytest.mark.parametrize("module", ["kg.extract.usage", "kg.extract.registries"])
def test_the_modules_the_docs_run_with_python_m_run_on_a_compiled_install(module: str) -> None:
    # Python runs a module as __main__ from its code, which a compiled module has not: those stay
    # out of COMPILED, and their hot lookups cost little next to the rest of the role stage.
    env = {k: v for k, v in os.environ.items() if k != "KG_PURE_PYTHON"}
    result = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
