"""The import graph of bot/, dialogs/ and nwow/: no cycles, and each layer imports only the layers below it.

    bot.cli -> bot.app -> dialogs -> bot.conversation -> bot.cards, bot.strings -------------> nwow
                                                      \\-> bot.proactive -> bot.transport --^
                      \\-> bot.turn -------------------------------------------------------^

The part a move to the Microsoft 365 Agents SDK touches (bot.transport, bot.turn) never reaches up into
what the bot says (bot.conversation, dialogs, bot.cards).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "dialogs", "nwow")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at any depth in the file, `from pkg import sub` included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules.keys()
                targets.update(submodules or ({node.module} & modules.keys()))
        targets.discard(name)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


# (importer prefixes, prefixes they must not import)
FORBIDDEN = [
    (("nwow",), ("bot", "dialogs")),
    (("bot.transport",), ("bot.conversation", "bot.cards", "bot.strings", "bot.cli", "bot.app", "dialogs")),
    (("bot.turn",), ("bot.conversation", "bot.cards", "bot.cli", "bot.app", "dialogs", "bot.proactive")),
    (("bot.proactive",), ("bot.conversation", "bot.cards", "bot.strings", "bot.cli", "bot.app", "dialogs")),
    (
        ("bot.cards", "bot.strings"),
        ("bot.conversation", "bot.transport", "bot.turn", "bot.proactive", "bot.cli", "bot.app"),
    ),
    (("bot.cards", "bot.strings"), ("dialogs",)),
    (("bot.conversation",), ("bot.cli", "bot.app", "dialogs")),
    (("dialogs",), ("bot.app", "bot.cli", "bot.transport", "bot.turn", "bot.conversation.handler")),
]


def test_no_module_imports_itself_through_others() -> None:
    assert _cycles(import_graph()) == []


@pytest.mark.parametrize(("importers", "forbidden"), FORBIDDEN)
def test_each_layer_imports_only_layers_below_it(
    importers: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    graph = import_graph()
    offenders = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        if _within(source, importers)
        for target in targets
        if _within(target, forbidden)
    )
    assert offenders == []


def test_only_the_app_factory_assembles_the_dialogs() -> None:
    graph = import_graph()
    importers = {s for s, targets in graph.items() for t in targets if _within(t, ("dialogs",))}
    assert {s for s in importers if not _within(s, ("dialogs",))} == {"bot.app"}


def test_the_graph_sees_imports_and_cycles() -> None:
    graph = import_graph()
    assert "bot.conversation.commands" in graph["dialogs.interruptible"]
    assert "bot.cli.serve" in graph["bot.cli"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
