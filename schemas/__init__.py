"""Machine-readable schemas: record JSON Schemas, the graph model (installed as kg.schemas)."""
