"""kg: a knowledge-graph builder for research-paper listings.

``import kg`` does no work: no spaCy load, no server start, no network (it only checks that the
compiled modules were compiled from the sources beside them, see ``kg/compiled_modules.py``). The stages are in
``kg.parse`` (listing text -> records), ``kg.extract`` (methods, datasets, lineage),
``kg.reading`` (files -> JSON lines), ``kg.resolve``, ``kg.load``, ``kg.pipeline`` (``kg build``), and the
command line in ``kg.cli``.
"""

from kg.compiled_modules import import_sources_if_stale

import_sources_if_stale()  # before any compiled module is imported (see kg/compiled_modules.py)

from kg.errors import InputError, KGError, QueryError, StoreError  # noqa: E402

__version__ = "0.1.0"
__all__ = ["InputError", "KGError", "QueryError", "StoreError", "__version__"]
