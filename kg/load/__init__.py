"""The load stage: write the graph model to a store, take listings out, keep the summaries.

* ``statements``: every Cypher text this stage sends, built from the graph model;
* ``writer``: batched, idempotent writes (``load``);
* ``lookups``: what the store holds already (listings, keys, names, counts);
* ``remove``: a listing's contribution taken out, what other listings state kept;
* ``summaries``: the authors' co-author communities, ranks and counts.
"""

from kg.load.lookups import KnownNames, graph_counts, known_names, listing_paths
from kg.load.remove import remove_listing, remove_listings
from kg.load.summaries import update_author_summaries
from kg.load.writer import DEFAULT_BATCH_SIZE, LoadStats, held_keys, load

__all__ = ["DEFAULT_BATCH_SIZE", "KnownNames", "LoadStats", "graph_counts", "held_keys", "known_names",
           "listing_paths", "load", "remove_listing", "remove_listings", "update_author_summaries"]
