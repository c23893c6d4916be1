"""One graph walk shared by the stages that grow a set along edges (families, actors)."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def reachable(start: Iterable[N], neighbours: Callable[[N], Iterable[N]]) -> set[N]:
    """Every node reachable from ``start`` (the start nodes included) by following ``neighbours``."""
    out: set[N] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(n for n in neighbours(node) if n not in out)
    return out
