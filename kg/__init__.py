"""kg: a knowledge-graph builder for research-paper listings.

``import kg`` does no work: no spaCy load, no server start, no network. The stages are in
``kg.parse`` (listing text -> records), ``kg.extract`` (methods, datasets, lineage),
``kg.pipeline`` (files -> JSON lines), and the command line in ``kg.cli``.
"""

from kg.errors import InputError, KGError, QueryError, StoreError

__version__ = "0.1.0"
__all__ = ["InputError", "KGError", "QueryError", "StoreError", "__version__"]
