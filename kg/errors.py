"""One exception root for everything kg raises on purpose.

Library code raises these; the CLI catches ``KGError`` once, prints ``Error: ...`` and exits
non-zero. Foreign exceptions are translated at the edges with ``raise ... from e``.
"""


class KGError(Exception):
    """Root of every error kg raises deliberately."""


class InputError(KGError):
    """A listing, record file or argument that kg cannot use."""


class StoreError(KGError):
    """The graph store could not be started, reached or written."""


class QueryError(KGError):
    """A canned or ad-hoc query that is unknown, malformed or not allowed."""
