"""The benchmark: a synthetic corpus through every stage, each figure beside a baseline from the same run.

``run_benchmark`` writes a corpus with ``../shared/bench/make_corpus.py``, then times parse,
extract, resolve and load on it in this process (their sum is one end-to-end figure), measures
each canned query's latency on the loaded graph, and records peak memory of this process and
of the store's server and the store's size on disk. Baselines: bare ``spacy.blank("en")``
tokenisation of the same abstracts (for extract), the same rows loaded one statement per row
on a sample (for load), and a cold ``kg build`` of the dev listings (start-up included). Last,
``kg build`` of the whole corpus runs as a user runs it, in its streamed batches with extraction
and writing overlapped (the other end-to-end figure), timed, with the memory of all its processes
together (kg, its workers, the store server) sampled as it goes. ``run_real`` then times the same
stages and ``kg build`` on a folder of real listings. Every stage is timed with Python's cyclic
collector paused, as ``kg build`` runs them.
"""

from kg.bench.figures import Bench, format_bench
from kg.bench.run import run_benchmark, run_real

__all__ = ["Bench", "format_bench", "run_benchmark", "run_real"]
