"""A problem found in a file that ambassadors edit: where it is and what to change; and how many are shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from rapidfuzz import fuzz, process

Severity = Literal["error", "warning"]

# A load keeps at most this many problems (the count of the others is kept): a hostile or badly broken
# file costs bounded memory, and what is shown stays readable. Fixing the first ones usually fixes many.
MAX_KEPT: Final = 1000
# `nwow faq check` prints at most this many; a failed reload in the bot logs at most LOG_LIMIT.
PRINT_LIMIT: Final = 200
LOG_LIMIT: Final = 20


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By file, line, severity and message (the order `nwow faq check` prints them in)."""
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.severity, p.message))


class ProblemList:
    """Problems as they are found; keeps the first `limit` and counts the rest."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.dropped = 0
        self.dropped_errors = 0

    def add(self, problem: Problem) -> None:
        if len(self.kept) < self.limit:
            self.kept.append(problem)
            return
        self.dropped += 1
        self.dropped_errors += problem.severity == "error"

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def error(self, file: Path, line: int, message: str | Callable[[], str]) -> None:
        """An error; a message given as a function is built only if the error is kept (a suggestion
        such as "did you mean…" costs time that a file with 100,000 mistakes must not cost)."""
        self._add(file, line, message, "error")

    def warn(self, file: Path, line: int, message: str | Callable[[], str]) -> None:
        self._add(file, line, message, "warning")

    def _add(self, file: Path, line: int, message: str | Callable[[], str], severity: Severity) -> None:
        if len(self.kept) >= self.limit:
            self.dropped += 1
            self.dropped_errors += severity == "error"
            return
        self.kept.append(Problem(file, line, message if isinstance(message, str) else message(), severity))

    @property
    def has_errors(self) -> bool:
        return self.dropped_errors > 0 or has_errors(self.kept)

    def sorted(self) -> list[Problem]:
        return sort_problems(self.kept)


def report_lines(problems: Sequence[Problem], limit: int, *, not_kept: int = 0) -> list[str]:
    """`file:line: severity: message` for the first `limit` problems (errors first), then one line with
    the count of the others. `not_kept`: problems counted but not kept by the load."""
    ordered = list(problems)
    if len(ordered) > limit:
        ordered = [p for p in ordered if p.severity == "error"] + [
            p for p in ordered if p.severity != "error"
        ]
    lines = [str(p) for p in ordered[:limit]]
    hidden = len(ordered) - len(lines) + not_kept
    if hidden > 0:
        lines.append(f"... and {hidden} more problem(s) not shown: fix these first, then check again")
    return lines


def did_you_mean(name: str, known: Iterable[str], otherwise: str, *, quote: str = "'") -> str:
    """ "did you mean 'x'?" for the closest known name (similarity 0.6 or more), else the `otherwise` hint.
    In C (rapidfuzz): a file with thousands of unknown ids and thousands of known ones stays cheap."""
    close = process.extractOne(name, list(known), scorer=fuzz.ratio, score_cutoff=60)
    return f"did you mean {quote}{close[0]}{quote}?" if close else otherwise


def shown(value: object, limit: int = 60) -> str:
    """A value from a file, quoted and clipped, for a message (a hostile file cannot make lines huge)."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"
