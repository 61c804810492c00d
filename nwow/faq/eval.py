"""Run a test file of questions against a knowledge base and measure how well it answers.

At the bot's settings (its threshold and gap): top-1 (the right entry answered), recall@3 (among the
three best candidates above the threshold) and the out-of-scope rejection rate. Threshold-free, from
each question's best confidence: out-of-scope questions rejected at the threshold that keeps 90 % of the
in-scope ones, and the AUROC of the best confidence, in-scope against out-of-scope (how well the score
separates them, whatever the threshold). Per language too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.model import MatchResult
from nwow.language import Lang, normalize_locale


class CasesFileError(ValueError):
    """The test file cannot be read; the message says where and why."""


@dataclass(frozen=True)
class EvalCase:
    question: str
    expect: str | None
    lang: Lang | None = None
    line: int = 0


@dataclass(frozen=True)
class Outcome:
    case: EvalCase
    result: MatchResult

    @property
    def top_id(self) -> str | None:
        return self.result.answer.entry.id if self.result.answer is not None else None

    @property
    def correct(self) -> bool:
        if self.case.expect is None:
            return self.result.status == "unanswered"
        return self.top_id == self.case.expect

    def offered(self, threshold: float) -> list[str]:
        """The ids among the three best candidates that score at least `threshold`."""
        return [c.entry_id for c in self.result.candidates[:3] if c.score >= threshold]


@dataclass
class Figures:
    n: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    top1_hits: int = 0
    recall3_hits: int = 0
    rejected: int = 0
    in_scope_best: list[float] = field(default_factory=list)
    out_of_scope_best: list[float] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.top1_hits / self.in_scope if self.in_scope else 0.0

    @property
    def recall3(self) -> float:
        return self.recall3_hits / self.in_scope if self.in_scope else 0.0

    @property
    def oos_rejection(self) -> float:
        return self.rejected / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def oos_at_90(self) -> float | None:
        """Out-of-scope questions whose best confidence is below the 10th percentile of the in-scope
        ones' (None without both kinds)."""
        return oos_rejected_at(self.in_scope_best, self.out_of_scope_best, 0.90)

    @property
    def auroc(self) -> float | None:
        return auroc(self.in_scope_best, self.out_of_scope_best)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "top1": round(self.top1, 4),
            "recall3": round(self.recall3, 4),
            "oos_rejection": round(self.oos_rejection, 4),
            "oos_rejected_at_90_kept": _rounded(self.oos_at_90),
            "auroc": _rounded(self.auroc),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def oos_rejected_at(in_scope: Sequence[float], out_of_scope: Sequence[float], kept: float) -> float | None:
    """Share of `out_of_scope` below the score that keeps the share `kept` of `in_scope`."""
    if not in_scope or not out_of_scope:
        return None
    ordered = sorted(in_scope)
    threshold = ordered[int((1.0 - kept) * len(ordered))]
    return sum(s < threshold for s in out_of_scope) / len(out_of_scope)


def auroc(in_scope: Sequence[float], out_of_scope: Sequence[float]) -> float | None:
    """P(an in-scope score > an out-of-scope one), ties counted half (Mann-Whitney U)."""
    if not in_scope or not out_of_scope:
        return None
    tagged = sorted([(s, True) for s in in_scope] + [(s, False) for s in out_of_scope])
    rank_sum = 0.0
    i = 0
    while i < len(tagged):
        j = i
        while j < len(tagged) and tagged[j][0] == tagged[i][0]:
            j += 1
        rank_sum += (i + 1 + j) / 2 * sum(1 for k in range(i, j) if tagged[k][1])
        i = j
    positives, negatives = len(in_scope), len(out_of_scope)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


@dataclass
class EvalReport:
    threshold: float
    gap: float
    overall: Figures = field(default_factory=Figures)
    per_language: dict[str, Figures] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)
    unknown_expectations: list[EvalCase] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = self.overall.as_dict()
        data["threshold"] = self.threshold
        data["gap"] = self.gap
        data["per_language"] = {lang: f.as_dict() for lang, f in sorted(self.per_language.items())}
        data["misses"] = [
            {
                "question": o.case.question,
                "expect": o.case.expect,
                "status": o.result.status,
                "got": o.top_id,
                "lang": o.result.lang,
                "candidates": [{"id": c.entry_id, "score": c.score} for c in o.result.candidates[:3]],
            }
            for o in self.misses
        ]
        data["unknown_expectations"] = [c.expect for c in self.unknown_expectations]
        return data


def load_test_cases(path: Path) -> list[EvalCase]:
    """Test cases from YAML (a list, or a mapping with 'tests:'/'cases:') or JSON lines (.jsonl/.json)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CasesFileError(f"{path}: cannot read the test file ({exc.strerror or exc})") from exc
    raw: list[tuple[Any, int]] = []
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        for number, row in enumerate(text.splitlines(), start=1):
            if not row.strip():
                continue
            try:
                raw.append((json.loads(row), number))
            except json.JSONDecodeError as exc:
                raise CasesFileError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
    else:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise CasesFileError(f"{path}: YAML syntax error: {exc}") from exc
        if root is None:
            return []
        items_node = root
        if isinstance(root, yaml.MappingNode):
            for key_node, value_node in root.value:
                if key_node.value in ("tests", "cases"):
                    items_node = value_node
                    break
            else:
                raise CasesFileError(f"{path}: expected a list of test cases (or 'tests:' with one)")
        if not isinstance(items_node, yaml.SequenceNode):
            raise CasesFileError(f"{path}:{items_node.start_mark.line + 1}: expected a list of test cases")
        loader = yaml.SafeLoader("")
        for item in items_node.value:
            raw.append((loader.construct_object(item, deep=True), item.start_mark.line + 1))
    cases: list[EvalCase] = []
    for item, line in raw:
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise CasesFileError(f"{path}:{line}: each test case needs 'question:' (a text) and 'expect:'")
        expect = item.get("expect")
        if expect is not None and not isinstance(expect, str):
            raise CasesFileError(f"{path}:{line}: 'expect' must be an entry id or null")
        lang_value = item.get("lang")
        lang = normalize_locale(str(lang_value)) if lang_value else None
        cases.append(EvalCase(item["question"], expect or None, lang, line))
    return cases


def evaluate(
    kb: KnowledgeBase, cases: Sequence[EvalCase], *, threshold: float | None = None, gap: float | None = None
) -> EvalReport:
    """Ask every case; `threshold`/`gap` None: the knowledge base's own (derived at load)."""
    threshold = kb.index.threshold if threshold is None else threshold
    gap = kb.index.gap if gap is None else gap
    report = EvalReport(threshold, gap)
    for case in cases:
        result = kb.match(case.question, case.lang, threshold=threshold, gap=gap)
        best = result.candidates[0].score if result.candidates else 0.0
        outcome = Outcome(case, result)
        if case.expect is not None and kb.entry(case.expect) is None:
            report.unknown_expectations.append(case)
        lang = case.lang or result.lang
        for figures in (report.overall, report.per_language.setdefault(lang, Figures())):
            figures.n += 1
            if case.expect is None:
                figures.out_of_scope += 1
                figures.rejected += outcome.correct
                figures.out_of_scope_best.append(best)
            else:
                figures.in_scope += 1
                figures.in_scope_best.append(best)
                figures.top1_hits += outcome.correct
                figures.recall3_hits += case.expect in outcome.offered(threshold)
        if not outcome.correct:
            report.misses.append(outcome)
    return report
