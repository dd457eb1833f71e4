"""The import graph has no cycles: not between modules, not between the stage packages.

The graph comes from grimp (import-linter's library) and counts every import:
at module level, inside functions (lazy) and under `if TYPE_CHECKING:`. A lazy
import still ties two modules together, and hiding a cycle behind one is how
layering decays. `lint-imports` (pyproject.toml) checks the layer order; this
test checks that nothing loops at all, and says which modules make the loop.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

import publisher

ROOT = "publisher"
Graph = Mapping[str, Iterable[str]]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(ROOT, include_external_packages=False, cache_dir=None)


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the graph's strongly connected components, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph.get(start, ()))))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def tangles(graph: Graph) -> list[list[str]]:
    """The components that loop: two or more nodes, or one that imports itself."""
    return [component for component in strongly_connected(graph)
            if len(component) > 1 or component[0] in set(graph.get(component[0], ()))]


def cycles(graph: Graph) -> list[list[str]]:
    """The shortest loop in each tangle, as [a, b, ..., a]."""
    return [shortest_loop(graph, tangle) for tangle in tangles(graph)]


def shortest_loop(graph: Graph, tangle: list[str]) -> list[str]:
    return min((_shortest_loop(graph, start, set(tangle)) for start in tangle), key=len)


def _shortest_loop(graph: Graph, start: str, members: set[str]) -> list[str]:
    """start -> ... -> start, breadth first within one component."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph.get(node, ())):
            if successor not in members:
                continue
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise AssertionError(f"no loop through {start}")  # pragma: no cover - a component always has one


def module_graph(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def package_of(module: str) -> str:
    """publisher.site.model -> publisher.site; publisher itself stays publisher."""
    return ".".join(module.split(".")[:2])


def package_graph(modules: Graph) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = {package_of(module): set() for module in modules}
    for importer, imported in modules.items():
        packages[package_of(importer)] |= {package_of(m) for m in imported} - {package_of(importer)}
    return packages


def describe_module_cycle(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    """a -> b -> a, then each import with its line: `  a:12 imports b`."""
    lines = [" -> ".join(cycle)]
    for importer, imported in pairwise(cycle):
        details = graph.get_import_details(importer=importer, imported=imported)
        at = ",".join(str(d["line_number"]) for d in details)
        lines.append(f"  {importer}:{at} imports {imported}")
    return "\n".join(lines)


def describe_package_cycle(modules: Graph, cycle: list[str]) -> str:
    """a -> b -> a, then for each step the module imports that make it."""
    lines = [" -> ".join(cycle)]
    for importer, imported in pairwise(cycle):
        lines += [f"  {source} imports {target}" for source in sorted(modules) if package_of(source) == importer
                  for target in sorted(modules[source]) if package_of(target) == imported]
    return "\n".join(lines)


def report(kind: str, graph: Graph, describe: Callable[[list[str]], str]) -> str:
    """Each tangle's members, then its shortest loop described."""
    return "\n\n".join(f"{len(tangle)} {kind} import each other in a loop ({', '.join(tangle)}); the shortest:\n"
                       + describe(shortest_loop(graph, tangle)) for tangle in tangles(graph))


# --- the finder itself ---------------------------------------------------------

def test_finds_a_loop_and_names_it_in_order() -> None:
    toy = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert strongly_connected(toy) == [["d"], ["a", "b", "c"], ["e"], ["f"]]
    assert cycles(toy) == [["a", "b", "c", "a"], ["e", "e"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_finds_the_shortest_loop_in_a_tangle() -> None:
    toy = {"a": {"b", "x"}, "b": {"c"}, "c": {"d"}, "d": {"a"}, "x": {"a"}}
    assert cycles(toy) == [["a", "x", "a"]]


def test_a_deep_chain_does_not_hit_the_recursion_limit() -> None:
    chain = {str(i): {str(i + 1)} for i in range(5000)}
    chain["5000"] = {"0"}
    assert [len(tangle) for tangle in tangles(chain)] == [5001]


def test_modules_collapse_to_their_stage_package() -> None:
    modules = {"publisher.site.model": {"publisher.content.model", "publisher.site.clusters"},
               "publisher.site.clusters": set(), "publisher.content.model": {"publisher"}, "publisher": set()}
    assert package_graph(modules) == {"publisher.site": {"publisher.content"},
                                      "publisher.content": {"publisher"}, "publisher": set()}


def test_a_cycle_is_reported_with_the_lines_that_make_it() -> None:
    toy = grimp.ImportGraph()
    for module in ("publisher.core.text", "publisher.core.slugs", "publisher.site.model"):
        toy.add_module(module)
    toy.add_import(importer="publisher.core.text", imported="publisher.site.model", line_number=7,
                   line_contents="from publisher.site.model import Site")
    toy.add_import(importer="publisher.site.model", imported="publisher.core.text", line_number=3,
                   line_contents="from publisher.core.text import plain_text")
    toy.add_import(importer="publisher.site.model", imported="publisher.core.slugs", line_number=4,
                   line_contents="from publisher.core.slugs import slugify")
    modules = module_graph(toy)
    [cycle] = cycles(modules)
    assert describe_module_cycle(toy, cycle) == (
        "publisher.core.text -> publisher.site.model -> publisher.core.text\n"
        "  publisher.core.text:7 imports publisher.site.model\n"
        "  publisher.site.model:3 imports publisher.core.text")
    [loop] = cycles(package_graph(modules))
    assert describe_package_cycle(modules, loop) == (
        "publisher.core -> publisher.site -> publisher.core\n"
        "  publisher.core.text imports publisher.site.model\n"
        "  publisher.site.model imports publisher.core.slugs\n"
        "  publisher.site.model imports publisher.core.text")


# --- the real graph ------------------------------------------------------------

def test_the_graph_has_every_lazy_and_type_checking_import(graph: grimp.ImportGraph) -> None:
    """Guards the premise: imports inside functions and `if TYPE_CHECKING:` are edges too."""
    package = Path(publisher.__file__).parent
    missing = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nested = [node for top in tree.body if not isinstance(top, ast.Import | ast.ImportFrom)
                  for node in ast.walk(top) if isinstance(node, ast.Import | ast.ImportFrom)]
        for node in nested:
            for target in _internal_targets(node, graph):
                if not graph.direct_import_exists(importer=module, imported=target):
                    missing.append(f"{module}:{node.lineno} -> {target}")
    assert not missing, "imports the graph does not have:\n" + "\n".join(missing)


def _internal_targets(node: ast.Import | ast.ImportFrom, graph: grimp.ImportGraph) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level == 0 and node.module:
        # `from publisher.x import y` imports the module publisher.x.y if there is one, else publisher.x.
        names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in graph.modules else node.module
                 for alias in node.names]
    else:  # pragma: no cover - publisher uses absolute imports only
        return []
    return [name for name in names if name == ROOT or name.startswith(ROOT + ".")]


def test_no_import_cycles_between_modules(graph: grimp.ImportGraph) -> None:
    modules = module_graph(graph)
    assert not tangles(modules), report("modules", modules, lambda loop: describe_module_cycle(graph, loop))


def test_no_import_cycles_between_stage_packages(graph: grimp.ImportGraph) -> None:
    modules = module_graph(graph)
    packages = package_graph(modules)
    assert {"publisher.core", "publisher.build", "publisher.commands"} <= set(packages)
    assert not tangles(packages), report("packages", packages, lambda loop: describe_package_cycle(modules, loop))
