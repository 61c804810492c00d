from __future__ import annotations

import ast
from pathlib import Path

import nwow

# The Bot Framework SDK, and our own Teams layer (bot, dialogs) that is built on it.
FORBIDDEN = ("botbuilder", "botframework", "bot", "dialogs")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.append(first.value)
    return names


def test_domain_package_never_imports_botbuilder() -> None:
    root = Path(nwow.__file__).parent
    offenders = [
        f"{path.relative_to(root.parent)}: {name}"
        for path in sorted(root.rglob("*.py"))
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    ]

    assert offenders == []


def test_the_scan_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import botbuilder.core\nfrom botframework.connector import x\n", encoding="utf-8")

    assert imported_modules(sample) == ["botbuilder.core", "botframework.connector"]
