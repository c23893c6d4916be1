"""The shared graph walk used by incremental families and actor resolution."""
from scamtrace.graph import reachable


def test_reachable_follows_edges_both_ways_given_and_stops_at_the_component() -> None:
    edges = {"a": ["b"], "b": ["a", "c"], "c": [], "x": ["y"], "y": []}
    assert reachable(["a"], lambda n: edges[n]) == {"a", "b", "c"}
    assert reachable(["c"], lambda n: edges[n]) == {"c"}          # edges are followed as given
    assert reachable(["c", "x"], lambda n: edges[n]) == {"c", "x", "y"}
    assert reachable([], lambda n: edges[n]) == set()


def test_reachable_ends_on_cycles() -> None:
    assert reachable([0], lambda n: [(n + 1) % 5]) == {0, 1, 2, 3, 4}
