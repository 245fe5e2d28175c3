"""Extraction: methods, datasets and lineage from titles and abstracts (spaCy rules on a blank pipeline)."""
