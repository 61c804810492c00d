"""`nwow faq check`, `nwow faq eval` and `nwow ask`: the ambassadors' tools for the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from nwow.content_gate import ALLOW_SETTING
from nwow.faq.checks import run_check
from nwow.faq.eval import CasesFileError, evaluate, load_test_cases
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import LoadResult, load_knowledge_base
from nwow.paths import default_data_dir, default_faq_dir
from nwow.problems import PRINT_LIMIT, report_lines

if TYPE_CHECKING:
    SubCommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def add_commands(subparsers: SubCommands, *extensions: Callable[[SubCommands], None]) -> None:
    """Add `nwow faq ...` and `nwow ask`; each of `extensions` adds subcommands of its own under `nwow faq`
    (the bot's tools that need the database, e.g. `nwow faq suggestions`)."""
    faq = subparsers.add_parser(
        "faq",
        help="check or evaluate the FAQ knowledge base",
        description="Tools for the FAQ folder that ambassadors edit (see faq/README.md).",
    )
    faq_commands = faq.add_subparsers(dest="faq_command", metavar="SUBCOMMAND")
    faq_commands.required = True
    for extend in extensions:
        extend(faq_commands)

    check = faq_commands.add_parser(
        "check",
        help="validate the FAQ folder (exit 1 on errors)",
        description="Validate every FAQ file; print each problem as file:line: severity: message.",
    )
    check.add_argument(
        "dir", nargs="?", type=Path, default=None, help="the FAQ folder (default: the shipped faq/)"
    )
    check.add_argument(
        "--production",
        action="store_true",
        help=(
            "check as the bot outside development mode loads the folder: draft security entries and example "
            f"offices are errors (unless it runs with {ALLOW_SETTING}=true)"
        ),
    )
    check.set_defaults(func=_check)

    evaluation = faq_commands.add_parser(
        "eval",
        help="measure answer quality on a test file",
        description=(
            "Ask every question of a test file (YAML list or JSON lines of question / expect / lang) and "
            "print, at the bot's settings, top-1 accuracy, recall@3 and the out-of-scope rejection rate; "
            "threshold-free, the out-of-scope questions rejected at the threshold that keeps 90%% of the "
            "in-scope ones and the AUROC of the best confidence; per language; and the misses."
        ),
    )
    _add_faq_dir(evaluation)
    evaluation.add_argument("--tests", type=Path, required=True, help="the test file (.yml or .jsonl)")
    evaluation.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluation.add_argument(
        "--min-top1",
        type=float,
        default=None,
        metavar="X",
        help="exit 1 when top-1 accuracy is below X (0-1)",
    )
    evaluation.add_argument(
        "--min-oos-rejection",
        type=float,
        default=None,
        metavar="X",
        help="exit 1 when the out-of-scope rejection rate is below X (0-1)",
    )
    _add_thresholds(evaluation)
    evaluation.set_defaults(func=_eval)

    ask = subparsers.add_parser(
        "ask",
        help="show what the bot would answer to a question",
        description="Show what the bot would answer, with the scores of the best candidates.",
    )
    _add_faq_dir(ask)
    ask.add_argument("--lang", default=None, help="the client's language as a hint (nl, fr, de, en)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    _add_thresholds(ask)
    ask.add_argument("question", help="the question, in quotes")
    ask.set_defaults(func=_ask)


def _add_faq_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--faq", type=Path, default=None, metavar="DIR", help="the FAQ folder (default: the shipped faq/)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="DIR",
        help="where sentence embeddings are kept between runs (default: the data folder)",
    )


def _add_thresholds(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="confidence threshold (default: derived from the knowledge base, 0.5 on its own scale)",
    )
    parser.add_argument(
        "--gap",
        type=float,
        default=None,
        help="ambiguity gap in calibrated units (default: derived from the knowledge base)",
    )


def _load(args: argparse.Namespace) -> tuple[LoadResult, Path]:
    path = args.faq if args.faq is not None else default_faq_dir()
    cache = args.cache if args.cache is not None else default_data_dir()
    return load_knowledge_base(path, cache_dir=cache), path


def _require_kb(result: LoadResult, path: Path) -> KnowledgeBase | None:
    if result.kb is None:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        print(f"The FAQ in {path} has errors; fix them first (nwow faq check {path}).", file=sys.stderr)
    return result.kb


def _check(args: argparse.Namespace) -> int:
    folder: Path = args.dir if args.dir is not None else default_faq_dir()
    report = run_check(folder, production=args.production)
    for line in report_lines(report.problems, PRINT_LIMIT, not_kept=report.not_kept):
        print(line)
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    failed = report.failed
    entries = report.entries
    print(f"FAQ entries by status: {entries.status_text()}")
    print(f"FAQ entries by source: {entries.source_text()}")
    security, drafts = report.security_entries
    refused = f"`nwow serve` refuses them outside development mode unless {ALLOW_SETTING}=true"
    print(f"Security entries (topics security, mfa, besecure, or owner ISPO): {security}, drafts {drafts}")
    offices = report.offices_counts
    if offices is not None and report.offices is not None:
        examples = sum(office.example for office in report.offices.offices)
        print(f"Offices by status: {offices.status_text()} ({examples} of {offices.total} marked example)")
    if drafts or (report.offices is not None and any(o.example for o in report.offices.offices)):
        print(f"Draft security entries and example offices are marked on their cards; {refused}.")
    hidden = f", {report.not_kept} more not kept" if report.not_kept else ""
    print(
        f"{'FAILED' if failed else 'OK'}: {folder}: {report.faq.entry_count} entries in {report.files} files; "
        f"{errors} error(s), {warnings} warning(s){hidden}"
    )
    return 1 if failed else 0


def _eval(args: argparse.Namespace) -> int:
    result, path = _load(args)
    kb = _require_kb(result, path)
    if kb is None:
        return 1
    try:
        cases = load_test_cases(args.tests)
    except CasesFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    report = evaluate(kb, cases, threshold=args.threshold, gap=args.gap)
    verdict = _gate(report.overall.top1, report.overall.oos_rejection, args.min_top1, args.min_oos_rejection)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        return 1 if verdict else 0
    overall = report.overall
    print(f"Knowledge base: {path} ({kb.version.entry_count} entries, hash {kb.version.content_hash})")
    print(
        f"Threshold {report.threshold:.2f}{_derived(args.threshold)}, ambiguity gap {report.gap:.2f}"
        f"{_derived(args.gap)}; {overall.n} questions"
    )
    print(f"{'':8} {'':5} {'at the bot settings':^40} {'threshold-free':^20}")
    print(
        f"{'':8} {'n':>5} {'top-1':>7} {'recall@3':>9} {'out-of-scope rejected':>22} "
        f"{'OOS@90%':>9} {'AUROC':>9}"
    )
    rows = [("all", overall), *sorted(report.per_language.items())]
    for name, figures in rows:
        print(
            f"{name:8} {figures.n:>5} {_pct(figures.top1, figures.in_scope):>7} "
            f"{_pct(figures.recall3, figures.in_scope):>9} "
            f"{_pct(figures.oos_rejection, figures.out_of_scope):>22} "
            f"{_share(figures.oos_at_90):>9} {_share(figures.auroc):>9}"
        )
    if report.unknown_expectations:
        print("\nTest cases expecting an id that does not exist:")
        for case in report.unknown_expectations:
            print(f"  {args.tests}:{case.line}: {case.expect}")
    if report.misses:
        print(f"\nMisses ({len(report.misses)}):")
        for outcome in report.misses:
            best = ", ".join(f"{c.entry_id} {c.score:.2f}" for c in outcome.result.candidates[:3]) or "-"
            expected = outcome.case.expect or "no answer"
            print(
                f"  [{outcome.result.lang}] {outcome.case.question!r}: expected {expected}, "
                f"got {outcome.result.status} {outcome.top_id or ''} (best: {best})"
            )
    if verdict:
        print(f"\nFAILED: {verdict}", file=sys.stderr)
        return 1
    return 0


def _gate(top1: float, oos: float, min_top1: float | None, min_oos: float | None) -> str:
    """Why the figures fail the asked minimums ('' when they pass)."""
    failures = []
    if min_top1 is not None and top1 < min_top1:
        failures.append(f"top-1 {top1:.3f} < {min_top1:.2f}")
    if min_oos is not None and oos < min_oos:
        failures.append(f"out-of-scope rejection {oos:.3f} < {min_oos:.2f}")
    return "; ".join(failures)


def _pct(value: float, count: int) -> str:
    return f"{value * 100:.1f}%" if count else "-"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _derived(override: float | None) -> str:
    return " (derived from the knowledge base)" if override is None else " (given)"


def _ask(args: argparse.Namespace) -> int:
    result, path = _load(args)
    kb = _require_kb(result, path)
    if kb is None:
        return 1
    match = kb.match(args.question, args.lang, threshold=args.threshold, gap=args.gap)
    answer = match.answer
    explanation = kb.index.explain(args.question, match.lang)
    threshold = kb.index.threshold if args.threshold is None else args.threshold
    gap = kb.index.gap if args.gap is None else args.gap
    if args.json:
        data: dict[str, Any] = {
            "question": match.question,
            "status": match.status,
            "id": answer.entry.id if answer else None,
            "topic": answer.entry.topic if answer else None,
            "lang": answer.lang if answer else match.lang,
            "asked_lang": match.lang,
            "score": answer.score if answer else (match.candidates[0].score if match.candidates else 0.0),
            "answer": answer.content.answer if answer else None,
            "choices": [e.id for e in match.choices],
            "threshold": threshold,
            "gap": gap,
            "candidates": [
                {"id": c.entry_id, "score": c.score, "signals": dict(c.signals)} for c in match.candidates
            ],
            "explanation": explanation,
        }
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Question language: {match.lang}; status: {match.status}")
    if answer is not None:
        note = f" (no {match.lang} version; given in {answer.lang})" if answer.fallback else ""
        print(f"Answer: {answer.entry.id} (topic {answer.entry.topic}, score {answer.score:.2f}){note}")
        print(f"\n{answer.entry.title(answer.lang)}\n\n{answer.content.answer.rstrip()}\n")
    elif match.choices:
        print("Did you mean:")
        for entry in match.choices:
            print(f"  - {entry.id}: {entry.title(match.lang)}")
    else:
        print("No answer good enough (the bot says it does not know yet).")
    print(f"Threshold {threshold:.2f}, gap {gap:.2f}. Best candidates (confidence; the evidence behind it):")
    for candidate in match.candidates:
        signals = candidate.signals
        print(
            f"  {candidate.score:.3f}  {candidate.entry_id:32} words {signals.get('lexical', 0.0):.2f}, "
            f"characters {signals.get('char', 0.0):.2f}, meaning {signals.get('embedding', 0.0):.2f}"
        )
    if not match.candidates:
        print("  (none)")
    print(f"Read as: {explanation['read_as']}")
    print(f"Matched on: {', '.join(explanation['matched']) or '-'} (stems; ~word = a synonym group)")
    if explanation["unknown"]:
        print(
            f"Not in the FAQ: {', '.join(explanation['unknown'])} "
            "(add them to question variants or synonyms.yml if they matter)"
        )
    return 0
