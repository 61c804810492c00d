"""Issue 13's benchmark: the answer engine on public intent sets it was not written for.

    .venv/bin/python -m bench.public_sets                      # every figure
    .venv/bin/python -m bench.public_sets --data /work/shared/benchmarks --skip-latency

The sets (xSID nl/de/en and CLINC150, converted to one format) are read from `shared/benchmarks` beside
the repository (or an ancestor folder of it) or from --data; the project does not ship them. Each set's
labels become knowledge-base entries built in code (xSID: an nl, a de and an en block per entry;
CLINC150: English only, which the FAQ loader would refuse), with no synonyms file: nothing here is
tuned to these sets' wording.

Printed (metric definitions as in the sets' README): xSID top-1 per language (the query's language is
given as the client's locale, as Teams does); xSID open (3 labels removed): out-of-scope questions
rejected at the threshold that keeps 90 % of the in-scope ones, and the AUROC of the top score;
CLINC150 top-1, OOS at 90 % and AUROC; then, on CLINC150's 15,000-question knowledge base: the time of
one `match` (language detection, analysis, every signal, the decision) one question at a time, p50 and
p99; the index build with an empty embedding cache (cold) and with the cache filled (warm); the
process's resident memory with the embedding model loaded. Not a test: nothing asserts a figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.loadgen import percentile
from nwow.faq.eval import auroc as score_auroc
from nwow.faq.eval import oos_rejected_at
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.matcher import Index
from nwow.faq.model import FaqEntry, KbVersion, LocalizedContent
from nwow.language import Lang

ROOT = Path(__file__).resolve().parent.parent
XSID_LANGS: tuple[Lang, ...] = ("nl", "de", "en")


def find_data(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit if explicit.is_dir() else None
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "benchmarks"
        if candidate.is_dir():
            return candidate
    return None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Query:
    lang: Lang
    text: str
    label: str | None


def entry(label: str, questions: dict[Lang, list[str]]) -> FaqEntry:
    content = {lang: LocalizedContent(tuple(qs), "") for lang, qs in questions.items() if qs}
    return FaqEntry(label, "bench", "bench", date(2026, 1, 1), (), (), content)


def xsid_entries(folder: Path, kb_file: str) -> list[FaqEntry]:
    """Entries of `kb_file`, each question put in the language block of the per-language file it is in."""
    language_of: dict[tuple[str, str], Lang] = {}
    for lang in XSID_LANGS:
        for row in read_jsonl(folder / f"kb_{lang}.jsonl"):
            for question in row["questions"]:
                language_of[(row["label"], question)] = lang
    entries = []
    for row in read_jsonl(folder / kb_file):
        blocks: dict[Lang, list[str]] = {lang: [] for lang in XSID_LANGS}
        for question in row["questions"]:
            blocks[language_of[(row["label"], question)]].append(question)
        entries.append(entry(row["label"], blocks))
    return entries


def clinc_entries(folder: Path) -> list[FaqEntry]:
    return [entry(row["label"], {"en": row["questions"]}) for row in read_jsonl(folder / "kb.jsonl")]


def queries(path: Path) -> list[Query]:
    return [Query(row["lang"], row["query"], row["label"]) for row in read_jsonl(path)]


def build(entries: Sequence[FaqEntry], cache_dir: Path | None) -> KnowledgeBase:
    index = Index(entries, (), cache_dir=cache_dir)
    version = KbVersion(len(entries), "bench", datetime.now(UTC))
    return KnowledgeBase({e.id: e for e in entries}, {}, index, version)


@dataclass
class Scored:
    query: Query
    top_id: str | None
    top_score: float
    ranked: tuple[str, ...]


def score_all(kb: KnowledgeBase, items: Iterable[Query]) -> list[Scored]:
    out = []
    for query in items:
        result = kb.match(query.text, query.lang, threshold=None, gap=None)
        candidates = result.candidates
        top = candidates[0] if candidates else None
        out.append(
            Scored(
                query,
                top.entry_id if top else None,
                top.score if top else 0.0,
                tuple(c.entry_id for c in candidates[:3]),
            )
        )
    return out


def top1(rows: Sequence[Scored]) -> float:
    inside = [r for r in rows if r.query.label is not None]
    return sum(r.top_id == r.query.label for r in inside) / len(inside) if inside else float("nan")


def recall3(rows: Sequence[Scored]) -> float:
    inside = [r for r in rows if r.query.label is not None]
    return sum(r.query.label in r.ranked for r in inside) / len(inside) if inside else float("nan")


def _split(rows: Sequence[Scored]) -> tuple[list[float], list[float]]:
    inside = [r.top_score for r in rows if r.query.label is not None]
    return inside, [r.top_score for r in rows if r.query.label is None]


def oos_at_90(rows: Sequence[Scored]) -> float:
    """Share of out-of-scope questions whose top score is below the 10th percentile of the in-scope ones."""
    value = oos_rejected_at(*_split(rows), 0.90)
    return float("nan") if value is None else value


def auroc(rows: Sequence[Scored]) -> float:
    """P(an in-scope question's top score > an out-of-scope one's), ties counted half (Mann-Whitney)."""
    value = score_auroc(*_split(rows))
    return float("nan") if value is None else value


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def quality(data: Path, cache_dir: Path) -> None:
    xsid = data / "xsid"
    kb = build(xsid_entries(xsid, "kb.jsonl"), cache_dir)
    rows = score_all(kb, queries(xsid / "queries.jsonl"))
    print("xSID (15 labels, 816 questions; 1,488 test questions)")
    print(f"  {'lang':6} {'n':>5} {'top-1':>7} {'recall@3':>9}")
    for lang in (*XSID_LANGS, "all"):
        part = [r for r in rows if lang in ("all", r.query.lang)]
        print(f"  {lang:6} {len(part):>5} {top1(part):>7.3f} {recall3(part):>9.3f}")
    kb = build(xsid_entries(xsid, "kb_open.jsonl"), cache_dir)
    rows = score_all(kb, queries(xsid / "queries_open.jsonl"))
    print("xSID open (3 labels removed; 336 of 1,500 questions out of scope)")
    print(f"  {'lang':6} {'top-1':>7} {'OOS@90%':>8} {'AUROC':>7}")
    for lang in (*XSID_LANGS, "all"):
        part = [r for r in rows if lang in ("all", r.query.lang)]
        print(f"  {lang:6} {top1(part):>7.3f} {oos_at_90(part):>8.3f} {auroc(part):>7.3f}")
    clinc = data / "clinc150"
    kb = build(clinc_entries(clinc), cache_dir)
    rows = score_all(kb, queries(clinc / "queries.jsonl"))
    print("CLINC150 (150 labels, 15,000 questions; 4,500 in scope + 1,000 out of scope)")
    print(
        f"  top-1 {top1(rows):.3f}  recall@3 {recall3(rows):.3f}  OOS@90% {oos_at_90(rows):.3f}  "
        f"AUROC {auroc(rows):.3f}"
    )


def cost(data: Path, rounds: int) -> None:
    clinc = data / "clinc150"
    entries = clinc_entries(clinc)
    asked = [q for q in queries(clinc / "queries.jsonl")]
    gc.collect()
    rss_start = rss_mb()
    with tempfile.TemporaryDirectory(prefix="public-sets-") as tmp:
        cache_dir = Path(tmp)
        started = time.perf_counter()
        kb = build(entries[:1], None)  # loads the embedding model once for the process
        model_s = time.perf_counter() - started
        del kb
        gc.collect()
        started = time.perf_counter()
        kb = build(entries, cache_dir)
        cold_s = time.perf_counter() - started
        warm: list[float] = []
        for _ in range(3):
            del kb
            gc.collect()
            started = time.perf_counter()
            kb = build(entries, cache_dir)
            warm.append(time.perf_counter() - started)
        gc.collect()
        rss_built = rss_mb()
        timings: list[float] = []
        cpu: list[float] = []
        for _ in range(rounds):
            for query in asked:
                t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
                kb.match(query.text, query.lang, threshold=None, gap=None)
                cpu.append((time.thread_time_ns() - c0) / 1e6)
                timings.append((time.perf_counter_ns() - t0) / 1e6)
        timings.sort()
        cpu.sort()
        print(f"Cost on CLINC150's knowledge base ({len(entries)} entries, 15,000 questions)")
        print(
            f"  query (one at a time, {len(timings)} asked): p50 {statistics.median(timings):.2f} ms, "
            f"p99 {percentile(timings, 0.99):.2f} ms, max {timings[-1]:.2f} ms; thread CPU p50 "
            f"{statistics.median(cpu):.2f} ms, p99 {percentile(cpu, 0.99):.2f} ms"
        )
        print(
            f"  index build: cold (empty embedding cache) {cold_s:.1f} s, warm (cache filled) "
            f"{statistics.median(warm):.2f} s; embedding model load, once per process, {model_s:.2f} s"
        )
        print(
            f"  resident memory: {rss_start:.0f} MB before, {rss_built:.0f} MB with the model and the index "
            f"(+{rss_built - rss_start:.0f} MB), peak {peak_rss_mb():.0f} MB"
        )


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the benchmarks folder (xsid/, clinc150/)")
    parser.add_argument("--skip-latency", action="store_true", help="only the quality figures")
    parser.add_argument("--skip-quality", action="store_true", help="only the cost figures")
    parser.add_argument("--rounds", type=int, default=1, help="times each CLINC150 question is asked")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="embedding cache folder for the quality figures (default: fresh)",
    )
    args = parser.parse_args(argv)
    data = find_data(args.data)
    if data is None:
        print("No benchmarks folder (shared/benchmarks beside the repository, or --data).", file=sys.stderr)
        return 2
    print(f"Sets from {data}")
    if not args.skip_latency:  # first, so the memory figures are those of a fresh process
        cost(data, args.rounds)
    if not args.skip_quality:
        with tempfile.TemporaryDirectory(prefix="public-sets-") as tmp:
            quality(data, args.cache or Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
