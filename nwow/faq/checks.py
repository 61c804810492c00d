"""`nwow faq check`: the FAQ loader's problems plus those of the other files in the folder.

Other features that keep data in the FAQ folder (offices.yml, units.yml) add their validator here as
"module:function", where the function is `(folder: Path) -> list[Problem]`. It is imported only when a
check runs, so this module does not depend on those features.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from nwow.faq.loader import LoadResult, load_knowledge_base
from nwow.problems import Problem

Validator = Callable[[Path], list[Problem]]

# Extra validators run by `nwow faq check`, as "package.module:function".
EXTRA_VALIDATORS: list[str] = [
    "nwow.offices.loader:validate_faq_folder",
    "nwow.feedback.units:validate_faq_folder",
    "nwow.tickets.routing:validate_faq_folder",
]


def extra_validators() -> list[Validator]:
    found: list[Validator] = []
    for name in EXTRA_VALIDATORS:
        module_name, _, function = name.partition(":")
        found.append(getattr(importlib.import_module(module_name), function))
    return found


def run_check(folder: Path) -> tuple[list[Problem], LoadResult]:
    """Every problem in the folder (FAQ files and the extra validators'), sorted by file and line."""
    result = load_knowledge_base(folder)
    problems = list(result.problems)
    if folder.is_dir():
        for validator in extra_validators():
            problems.extend(validator(folder))
    problems.sort(key=lambda p: (str(p.file), p.line, p.severity, p.message))
    return problems, result
