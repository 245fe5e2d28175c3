"""A small union-find over string keys, shared by extraction (aliases in one paper) and resolution."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets of strings; the smaller key of two joined sets is the root, so order never matters."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.parent

    def find(self, key: str) -> str:
        """The root of ``key``'s set (``key`` itself the first time it is seen)."""
        parent = self.parent
        up = parent.get(key)
        if up is None:
            parent[key] = key
            return key
        while up != key:  # halving the path: each key on it now points two steps up
            parent[key] = up = parent[up]
            key = up
            up = parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
