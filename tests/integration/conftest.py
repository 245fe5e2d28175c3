"""Fixtures the integration tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.reading import extract_files


@pytest.fixture(scope="session")
def dev_records(dev_listings: list[Path]) -> list[dict[str, Any]]:
    """The records ``kg extract`` makes of the dev listings."""
    from kg.extract.annotate import Extractor

    records: list[dict[str, Any]] = []
    extract_files(dev_listings, None, on_record=records.append, annotate=Extractor().annotate_listing)
    return records
