"""Balanced reviewer assignment: give each application its reviewers, spreading the load evenly.

This is a min-cost flow in disguise. Applications supply `need` units, each unit goes to one
eligible reviewer (never a conflicted one, never twice the same), and a reviewer's k-th unit
costs more than the one before (convex: (load + 1)^2 - load^2). Successive shortest paths keep
the flow optimal: for each unit we search the alternating paths from the application (take a
reviewer; the application that reviewer was given earlier in this run swaps them for another
eligible one; ...) and end at the least-loaded reviewer reachable. Minimising the sum of
squared loads over these assignments also minimises the largest load and maximises the
smallest (the reachable load vectors form a base polyhedron), so loads end within one of each
other whenever the conflicts allow it at all. Existing assignments count towards loads but are
never moved.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping


def balance(
    needs: Mapping[Hashable, int],
    eligible: Mapping[Hashable, set],
    loads: Mapping[Hashable, int],
) -> dict[Hashable, list]:
    """New reviewers per application.

    needs: how many more reviewers each application should get.
    eligible: per application, the reviewers it may get (not conflicted, not already on it).
    loads: every reviewer of the pool with their current load.
    Returns {application: [reviewer, ...]} with min(need, len(eligible)) reviewers each.
    """
    load = dict(loads)
    order = {reviewer: index for index, reviewer in enumerate(loads)}
    given: dict[Hashable, set] = {app: set() for app in needs}
    holders: dict[Hashable, set] = {reviewer: set() for reviewer in loads}

    for app in needs:
        allowed = {r for r in eligible.get(app, set()) if r in load}
        for _ in range(min(needs[app], len(allowed))):
            path = _cheapest_path(app, eligible, given, holders, load, order)
            if path is None:  # cannot happen while need <= len(allowed); kept for safety
                break
            _augment(path, given, holders)
            load[path[-1][1]] += 1
    return {app: sorted(reviewers, key=order.__getitem__) for app, reviewers in given.items()}


def _cheapest_path(start, eligible, given, holders, load, order):
    """Breadth-first search over alternating paths: [(application, reviewer), ...] or None.

    The first pair is (start, r1); each later pair (a, r) means application a, which held the
    previous reviewer, gives that reviewer up and takes r instead. The last reviewer gains one.
    """
    floor = min(load.values())
    parent: dict = {}  # reviewer -> (application taking it, previous reviewer or None)
    seen_apps = {start}
    queue = deque([(start, None)])
    best = None
    while queue:
        app, via = queue.popleft()
        for reviewer in sorted(eligible.get(app, ()), key=lambda r: order.get(r, 0)):
            if reviewer not in load or reviewer in given[app] or reviewer in parent:
                continue
            parent[reviewer] = (app, via)
            if best is None or (load[reviewer], order[reviewer]) < (load[best], order[best]):
                best = reviewer
            if load[reviewer] == floor:
                return _walk_back(reviewer, parent)
            # Applications holding this reviewer (from this run) may swap them for another.
            for other in sorted(holders[reviewer], key=repr):
                if other not in seen_apps:
                    seen_apps.add(other)
                    queue.append((other, reviewer))
    return None if best is None else _walk_back(best, parent)


def _walk_back(reviewer, parent) -> list[tuple]:
    pairs = []
    while reviewer is not None:
        app, previous = parent[reviewer]
        pairs.append((app, reviewer))
        reviewer = previous
    return pairs[::-1]


def _augment(path, given, holders) -> None:
    """Apply the swaps along a path found by _cheapest_path."""
    for index, (app, reviewer) in enumerate(path):
        given[app].add(reviewer)
        holders[reviewer].add(app)
        if index:
            previous = path[index - 1][1]
            given[app].discard(previous)
            holders[previous].discard(app)
