"""Canned Cypher queries, one question per file (installed as the package kg.queries)."""
