"""Worst-case cost of one question: hostile texts against the shipped knowledge base (issue 12, defect 2).

    .venv/bin/python -m bench.long_question [--rounds 5]

The matcher used to split every unknown word into compounds in roughly quadratic time, on the event
loop: one 28,000-character word took 13.6 s. Now what is read of a question is bounded (`nwow.faq.text`,
`nwow.faq.analysis`). Printed per text: the wall time of `KnowledgeBase.match` (language detection,
analysis, every signal including the sentence embedding, the decision), the median and the worst of
`--rounds` (the first round embeds the text; later ones reuse its remembered embedding, so the worst
figures are the uncached cost), the worst thread CPU time (what the question costs when other work shares the machine, as
on a busy 2-core CI box), with the work counters of the analysis. Compare with an ordinary question on the same line.
Not a test: nothing asserts a time (tests/faq/test_engine.py asserts on the work done).
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from collections.abc import Sequence

from nwow.faq.loader import load_knowledge_base
from nwow.paths import default_data_dir, default_faq_dir


def texts() -> dict[str, str]:
    rng = random.Random(12)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 12))) for _ in range(10_000)]
    return {
        "ordinary question": "hoe zet ik mfa op mn nieuwe gsm",
        "one 28,000-character word": "x" * 28_000,
        "28 KB of one compound-like word": ("thuiswerkaanvraag" * 1_700)[:28_000],
        "10,000 random words": " ".join(words),
        "28 KB of real words": ("telewerk aanvragen satellietkantoor wachtwoord " * 600)[:28_000],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    kb = load_knowledge_base(default_faq_dir(), cache_dir=default_data_dir()).kb
    if kb is None:
        print("the shipped FAQ does not validate: run `nwow faq check`")
        return 1
    kb.match("warm up")
    print(f"{'text':34} {'chars':>7} {'median ms':>10} {'worst ms':>9} {'worst CPU ms':>13}  analysis work")
    for label, text in texts().items():
        timings = []
        cpu = []
        for _ in range(args.rounds):
            started, cpu_started = time.perf_counter(), time.thread_time()
            kb.match(text, "nl-BE")
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
        work = kb.index.analyse(text, "nl").work
        print(
            f"{label:34} {len(text):>7} {statistics.median(timings):>10.2f} {max(timings):>9.2f} "
            f"{max(cpu):>13.2f}  "
            f"words {work.words}, repaired {work.repaired}, split steps {work.split_steps}, "
            f"speller calls {work.speller_calls}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
