"""The package's layout: no import cycles between zhie's modules (imports inside functions
included), and every component class and public function documented."""

from __future__ import annotations

import ast
from collections import defaultdict

from conftest import ROOT

PACKAGE = ROOT / "pipeline"


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("zhie", *parts))


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    found = set()

    def visit(node, path):
        for nxt in graph.get(node, ()):
            if nxt in path:
                cycle = path[path.index(nxt) :]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif len(path) < 12:
                visit(nxt, path + [nxt])

    for node in list(graph):
        visit(node, [node])
    return found


def test_the_graph_sees_imports():
    graph = import_graph()
    assert "zhie.nlp.lexicon" in graph["zhie.nlp.components.rules"]


def test_no_import_cycles():
    # the package itself re-exports nothing it would import back: zhie/__init__ imports lazily
    graph = import_graph()
    graph.pop("zhie", None)
    assert cycles(graph) == set()
