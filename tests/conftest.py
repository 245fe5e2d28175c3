"""Shared fixtures: where ../shared is, and the dev listings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
DEV_LISTINGS = SHARED / "listings" / "dev"
DEV_GOLD = SHARED / "gold" / "dev"


@pytest.fixture(scope="session")
def dev_listings() -> list[Path]:
    files = sorted(DEV_LISTINGS.glob("*.txt"))
    if not files:
        pytest.skip(f"no dev listings in {DEV_LISTINGS} (set KG_SHARED)")
    return files
