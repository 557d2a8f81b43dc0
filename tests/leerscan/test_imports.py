"""The modules import one another without a circle (issue 18): data flows one way, answers →
scores → comparisons → advice → report, and the background layer imports no app (its kinds are
found by dotted path, settings.LEERSCAN_OUTPUT_KINDS).

Imports inside functions count too: a circle hidden by an import in a function is still a circle
(the one between coaching's bulk_progress, cohort and tasks was).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("leerscan", "benchmarks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    modules = {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in imported if target in modules and target != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done, path = [], set(), []

    def visit(module: str) -> None:
        if module in path:
            found.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        path.append(module)
        for target in sorted(graph[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    return found


def test_no_module_imports_itself_round_a_circle():
    assert _cycles(_graph()) == []


def test_the_background_layer_imports_no_app():
    graph = _graph()
    layer = {name for name in graph if name.startswith("leerscan.background")}
    apps = (
        "leerscan.advisers",
        "leerscan.coaching",
        "leerscan.reports",
        "leerscan.scans",
        "leerscan.teams",
    )
    for name in layer:
        assert not [t for t in graph[name] if t.startswith(apps)], name


def test_the_check_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
