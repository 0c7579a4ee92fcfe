"""Places that are parts of one whole: which place answers for a spec table another lacks.

A monorepo's roots each declare some of the spec's tables: a table one root lacks is not
absent when another root declares it in the same environment. But two places that both
declare one table of one environment are two deployments of the same tables (a root per
region, per account), and each must hold what it lacks itself: a place answers for another
only when the two hold no (spec table, environment) in common.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from typing import cast

Pair = tuple[str, str]  # (spec table, environment)


class _Elsewhere(Container[Pair]):
    """The pairs a place may lack (`Holdings.elsewhere`)."""

    def __init__(self, holdings: Holdings, index: int) -> None:
        self._holdings = holdings
        self._overlapping = holdings.overlapping(index)

    def __contains__(self, pair: object) -> bool:
        holders = self._holdings.holders.get(cast(Pair, pair), set())
        return bool(holders - self._overlapping)


class Holdings:
    """What each place of a run holds, and what answers for what each lacks."""

    def __init__(self, held: Iterable[set[Pair]] = ()) -> None:
        self.held: list[set[Pair]] = []
        self.holders: dict[Pair, set[int]] = defaultdict(set)
        for pairs in held:
            self.add(pairs)

    def add(self, pairs: set[Pair]) -> int:
        """Add a place holding *pairs*; its index."""
        index = len(self.held)
        self.held.append(pairs)
        for pair in pairs:
            self.holders[pair].add(index)
        return index

    def overlapping(self, index: int) -> set[int]:
        """Place *index* and every place that holds a pair it holds."""
        return {index, *(j for pair in self.held[index] for j in self.holders[pair])}

    def elsewhere(self, index: int) -> Container[Pair]:
        """The pairs place *index* may lack: a place that holds nothing it holds holds them."""
        return _Elsewhere(self, index)

    def answered_by(self, index: int, pair: Pair) -> list[int]:
        """The places that answer for *pair* where place *index* lacks it."""
        return sorted(self.holders.get(pair, set()) - self.overlapping(index))
