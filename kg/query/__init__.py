"""The canned queries: the catalogue of ``queries/*.cypher`` with their arguments (``catalogue``),
and the check that a Cypher text stays in what both stores run (``lint``)."""
