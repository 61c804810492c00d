"""FAQ engine benchmark: load time, answer latency and memory for synthetic knowledge bases.

Run: .venv/bin/python bench/faq_bench.py [--sizes 60,1000,10000] [--questions 2000]

Synthetic knowledge bases in the real file format are written to a temporary folder (entries in nl and fr,
a third of them also in de and en, three or four question variants each, a synonyms file and links).
Entries come in topics of 40 that share 80 topic words; every question variant has two topic words, one
everyday word (Zipf-distributed over the whole vocabulary) and two stop words; answers have 60 words.
The questions asked are paraphrases of the variants (a word dropped, a typo, an unknown word added) and
random out-of-scope word salads. When faq/ and faq/tests.yml exist, the eval figures on them are printed too.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nwow.faq.eval import evaluate, load_test_cases  # noqa: E402
from nwow.faq.knowledge_base import KnowledgeBase  # noqa: E402
from nwow.faq.loader import load_knowledge_base  # noqa: E402

LANGS = ("nl", "fr", "de", "en")
ONSETS = {
    "nl": ["b", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "sch", "st", "kr"],
    "fr": ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl"],
    "de": ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st", "pf"],
    "en": ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "th", "sh", "cr"],
}
VOWELS = {
    "nl": ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ui", "ij"],
    "fr": ["a", "e", "i", "o", "u", "ou", "ai", "eu"],
    "de": ["a", "e", "i", "o", "u", "ei", "au", "ie"],
    "en": ["a", "e", "i", "o", "u", "ea", "oo", "ai"],
}
STOP = {
    "nl": ["hoe", "kan", "ik", "mijn", "de", "het", "een", "op", "met", "voor"],
    "fr": ["comment", "puis", "je", "mon", "le", "la", "les", "un", "sur", "avec", "pour"],
    "de": ["wie", "kann", "ich", "mein", "der", "die", "das", "ein", "auf", "mit", "für"],
    "en": ["how", "can", "i", "my", "the", "a", "an", "on", "with", "for"],
}


@dataclass
class Row:
    size: int
    load_s: float  # median wall time of three loads
    load_cpu_s: float  # median process CPU time of the same loads
    p50_us: float
    p99_us: float
    p99_cpu_us: float  # thread CPU time: what the engine costs when the machine is busy with others
    max_us: float
    traced_peak_mb: float
    rss_delta_mb: float
    top1: float  # synthetic paraphrases answered with their own entry
    rejected: float  # synthetic word salads left unanswered


def rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return float("nan")
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def vocabulary(rng: random.Random, lang: str, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.randint(1, 3)
        words.add(
            "".join(rng.choice(ONSETS[lang]) + rng.choice(VOWELS[lang]) for _ in range(syllables))
            + rng.choice("nrstlk")
        )
    return sorted(words)


_WEIGHTS: dict[int, list[float]] = {}


def zipf_pick(rng: random.Random, words: list[str]) -> str:
    """Zipf-like: a few frequent words, a long tail."""
    cumulative = _WEIGHTS.get(len(words))
    if cumulative is None:
        cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(words))))
        _WEIGHTS[len(words)] = cumulative
    return rng.choices(words, cum_weights=cumulative)[0]


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_kb(folder: Path, size: int, seed: int = 7) -> dict[str, list[tuple[str, str]]]:
    """Write a synthetic FAQ folder; return the question variants per entry id (lang, text)."""
    rng = random.Random(seed)
    vocab_size = max(2000, size * 3)
    vocab = {lang: vocabulary(rng, lang, vocab_size) for lang in LANGS}
    # Like a real FAQ: entries come in topics of about 40, each with its own words (Teams, telework...),
    # plus everyday words shared by all (Zipf-distributed).
    topic_words = {
        (topic, lang): rng.sample(vocab[lang], 80) for topic in range(size // 40 + 1) for lang in LANGS
    }
    (folder / "entries").mkdir(parents=True)
    variants: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    per_file = 250
    for start in range(0, size, per_file):
        lines = [f"topic: topic-{start // per_file}", "entries:"]
        for number in range(start, min(size, start + per_file)):
            entry_id = f"entry-{number}"
            langs = LANGS if number % 3 == 0 else ("nl", "fr")
            lines += [
                f"  - id: {entry_id}",
                "    owner: bench",
                "    reviewed: 2026-09-01",
                "    source: none",
                "    status: draft",
                "    links: [intranet]",
            ]
            if number > 0:
                lines.append(f"    related: [entry-{number - 1}]")
            variants[entry_id] = []
            for lang in langs:
                own = topic_words[(number // 40, lang)]
                core = [zipf_pick(rng, own) for _ in range(2)] + [zipf_pick(rng, vocab[lang])]
                questions = []
                for _ in range(rng.randint(3, 4)):
                    words = [*rng.sample(STOP[lang], 2), *core, zipf_pick(rng, vocab[lang])]
                    rng.shuffle(words)
                    text = " ".join(words)
                    while text in seen:
                        text += " " + zipf_pick(rng, vocab[lang])
                    seen.add(text)
                    questions.append(text)
                    variants[entry_id].append((lang, text))
                answer = " ".join(zipf_pick(rng, own if i % 2 else vocab[lang]) for i in range(60))
                lines.append(f"    {lang}:")
                lines.append("      questions:")
                lines += [f"        - {quote(q)}" for q in questions]
                lines.append(f"      answer: {quote(answer + ' {link:intranet}')}")
        (folder / "entries" / f"part-{start // per_file:03d}.yml").write_text(
            "\n".join(lines) + "\n", "utf-8"
        )
    groups = [[vocab["nl"][i], vocab["fr"][i], vocab["de"][i], vocab["en"][i]] for i in range(5, 400, 20)]
    (folder / "synonyms.yml").write_text(
        "groups:\n" + "".join(f"  - [{', '.join(g)}]\n" for g in groups), encoding="utf-8"
    )
    (folder / "links.yml").write_text(
        "links:\n  intranet:\n    url: https://intranet.example/\n    title: {nl: Intranet, fr: Intranet}\n",
        encoding="utf-8",
    )
    return variants


def paraphrase(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) > 3:
        words.pop(rng.randrange(len(words)))
    target = rng.randrange(len(words))
    word = words[target]
    if len(word) > 5:
        cut = rng.randrange(1, len(word) - 1)
        words[target] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    if rng.random() < 0.5:
        words.append(rng.choice(["vandaag", "svp", "bitte", "quickly", "eigenlijk", "toujours"]))
    return " ".join(words)


def questions_for(
    variants: dict[str, list[tuple[str, str]]], count: int, seed: int = 11
) -> list[tuple[str, str, str | None]]:
    """(lang, question, expected entry id or None for out of scope)."""
    rng = random.Random(seed)
    ids = list(variants)
    out: list[tuple[str, str, str | None]] = []
    for number in range(count):
        if number % 5 == 4:
            words = ["meteo", "voetbal", "salaire", "Urlaub", "pizza", "Brussel", "loon", "vacances"]
            out.append(("nl", " ".join(rng.choice(words) for _ in range(3)), None))
            continue
        entry_id = rng.choice(ids)
        lang, text = rng.choice(variants[entry_id])
        out.append((lang, paraphrase(rng, text), entry_id))
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure(size: int, question_count: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="faqbench-") as tmp:
        folder = Path(tmp) / "faq"
        variants = write_kb(folder, size)
        gc.collect()
        rss_before = rss_mb()
        kb = load_knowledge_base(folder, cache_dir=Path(tmp) / "cache").kb
        if kb is None:
            raise SystemExit(f"the synthetic knowledge base of {size} entries does not validate")
        rss_after = rss_mb()
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(3):
            del kb
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            kb = load_knowledge_base(folder, cache_dir=Path(tmp) / "cache").kb
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        del kb
        gc.collect()
        tracemalloc.start()
        traced = load_knowledge_base(folder, cache_dir=Path(tmp) / "cache").kb
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert traced is not None
        kb = traced
        questions = questions_for(variants, question_count)
        timings: list[float] = []
        cpu_timings: list[float] = []
        hits = in_scope = rejected = 0
        for lang, question, expected in questions:
            t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            match = kb.match(question, lang)
            cpu_timings.append((time.thread_time_ns() - c0) / 1000)
            timings.append((time.perf_counter_ns() - t0) / 1000)
            if expected is None:
                rejected += match.status == "unanswered"
            else:
                in_scope += 1
                hits += match.answer is not None and match.answer.entry.id == expected
        return Row(
            size=size,
            load_s=statistics.median(walls),
            load_cpu_s=statistics.median(cpus),
            p50_us=statistics.median(timings),
            p99_us=percentile(timings, 0.99),
            p99_cpu_us=percentile(cpu_timings, 0.99),
            max_us=max(timings),
            traced_peak_mb=peak / 1e6,
            rss_delta_mb=rss_after - rss_before,
            top1=hits / in_scope,
            rejected=rejected / (len(questions) - in_scope),
        )


def eval_shipped() -> None:
    folder = ROOT / "faq"
    tests = folder / "tests.yml"
    if not (folder / "entries").is_dir() or not tests.is_file():
        print("\n(no faq/ with tests.yml: skipping the eval figures)")
        return
    result = load_knowledge_base(folder)
    kb: KnowledgeBase | None = result.kb
    if kb is None:
        print("\nfaq/ does not validate: run `nwow faq check`")
        return
    report = evaluate(kb, load_test_cases(tests))
    o = report.overall
    print(
        f"\nEval on faq/ ({kb.version.entry_count} entries, {o.n} questions, threshold {report.threshold:.2f}, "
        f"gap {report.gap:.2f}): top-1 {o.top1:.3f}, recall@3 {o.recall3:.3f}, "
        f"out-of-scope rejection {o.oos_rejection:.3f}"
    )
    for lang, figures in sorted(report.per_language.items()):
        print(
            f"  {lang}: n={figures.n} top-1 {figures.top1:.3f} recall@3 {figures.recall3:.3f} "
            f"oos {figures.oos_rejection:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,1000,10000", help="comma-separated entry counts")
    parser.add_argument("--questions", type=int, default=2000, help="questions asked per size")
    args = parser.parse_args()
    print(
        f"{'entries':>8} {'load s':>7} {'load cpu':>8} {'p50 µs':>7} {'p99 µs':>7} {'p99 cpu':>8} "
        f"{'max µs':>7} {'traced MB':>9} {'RSS Δ MB':>8} {'top-1':>6} {'oos rej':>7}",
        flush=True,
    )
    for size in args.sizes.split(","):
        row = measure(int(size), args.questions)
        print(
            f"{row.size:>8} {row.load_s:>7.3f} {row.load_cpu_s:>8.3f} {row.p50_us:>7.0f} {row.p99_us:>7.0f} "
            f"{row.p99_cpu_us:>8.0f} {row.max_us:>7.0f} {row.traced_peak_mb:>9.1f} {row.rss_delta_mb:>8.1f} "
            f"{row.top1:>6.2f} {row.rejected:>7.2f}",
            flush=True,
        )
    eval_shipped()


if __name__ == "__main__":
    main()
