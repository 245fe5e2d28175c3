"""The code holds to its own checks: mypy strict over kg/ and tests/, and ruff, as pyproject.toml sets them.

Nothing else runs them, so without this a type or lint error would land unseen.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("tool", [["mypy"], ["ruff", "check", "kg", "tests"]], ids=["mypy", "ruff"])
def test_the_code_passes(tool: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
