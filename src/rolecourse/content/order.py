"""The order of study the curriculum implies: prerequisite cycles and the module order graph.

Pure functions over the model, used by the loader (to refuse a curriculum with no order) and
by the planner (to order a path's modules).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import Skill


def module_order_graph(skills: "Iterable[Skill]") -> dict[str, tuple[str, ...]]:
    """Module id → the module ids that must come before it: the one before it in its skill, the last
    module of each prerequisite skill (for the skill's first module), and what it builds on."""
    by_id = {s.id: s for s in skills}
    graph: dict[str, tuple[str, ...]] = {}
    for skill in by_id.values():
        for i, module in enumerate(skill.modules):
            before = [skill.modules[i - 1].id] if i else [by_id[p].modules[-1].id for p in skill.prerequisites if p in by_id and by_id[p].modules]
            own = {m.id for m in skill.modules}  # a skill's own module named in builds_on is reported apart
            graph[module.id] = tuple(dict.fromkeys([*before, *(m for alternatives in module.builds_on for m in alternatives if m not in own)]))
    return graph


def find_cycles(graph: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Every distinct prerequisite cycle reachable in ``graph`` (each as a list of ids, smallest id first).

    Iterative depth-first search, deterministic (ids visited in sorted order).
    """
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    cycles: list[list[str]] = []
    seen_cycles: set[tuple[str, ...]] = set()
    for start in sorted(graph):
        if colour[start] != WHITE:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        on_path = [start]
        colour[start] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.pop()
                colour[node] = BLACK
                continue
            if child not in colour:
                continue  # an unknown id: reported as a bad reference
            if colour[child] == GREY:
                cyc = on_path[on_path.index(child):]
                k = cyc.index(min(cyc))
                canon = tuple(cyc[k:] + cyc[:k])
                if canon not in seen_cycles:
                    seen_cycles.add(canon)
                    cycles.append(list(canon))
            elif colour[child] == WHITE:
                colour[child] = GREY
                on_path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return cycles
