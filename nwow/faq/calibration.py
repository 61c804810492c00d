"""What a score means on this knowledge base: the answer threshold and the ambiguity gap, derived at load.

A combined score (`matcher.py`) depends on the knowledge base: how many entries, how alike they are, how
many variants each has. So the index asks itself questions it knows the answer to, at load:

- leave one variant out: a question variant is asked as if it had never been written (taken out of its
  entry's evidence). Its best score is what a new paraphrase of a known question scores: in scope.
- leave its entry out: the best score among the OTHER entries is what a question about a neighbouring
  subject the knowledge base does not cover scores: out of scope, and a hard case of it.

The threshold keeps `KEPT` (nine in ten) of the left-out variants: the bot answers nine in ten new
paraphrases of the questions its entries were written for, whatever the knowledge base. Scores are then
mapped to a confidence with a logistic curve: 0.5 at that threshold and 0.9 at the median left-out
variant, so a confidence reads the same on every knowledge base ("0.9: as sure as for a typical
paraphrase"). The left-out entries' scores are reported with it (the share of such neighbouring
questions the threshold turns away): on a knowledge base whose entries are close neighbours that share
is low, and it is the figure to watch when entries are added.

The shortcut: the sentence embedding is most of a question's cost. Where the words and character
pieces alone put an entry ahead of the next by a margin above which, on every left-out variant, the
embedding never changed the best entry, it is not computed (see `matcher.Index.rank`).

The gap: among the left-out variants whose best two entries are close, the top one is often wrong; the
gap is the margin up to which the top entry is wrong more often than right, measured locally (among
left-out variants with about that margin; at least `NEAR_TIE`, at most `MAX_GAP`). Below that margin the bot offers both instead of guessing. Margins are measured in the
calibrated units (score differences divided by the scale of the confidence curve), not in confidence,
which saturates near 1 where two good candidates are told apart.

With too few samples (a knowledge base of a handful of entries) `DEFAULT` is used.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO, Final

from nwow.faq.cache_files import write_cache_file

logger = logging.getLogger(__name__)

MIN_SAMPLES: Final = 20
KEPT: Final = 0.90
MAX_GAP: Final = 1.0
# Scores closer than this (calibrated units: 1/22 of the way from the threshold to the median paraphrase)
# are treated as equal: such near-ties are offered as a choice, never settled by a rounding or an id.
NEAR_TIE: Final = 0.1
_RELIABLE: Final = 0.5
_WINDOW: Final = 10


@dataclass(frozen=True)
class Sample:
    """One left-out variant: the best in-scope score, whether it was the right entry, the margin to
    the runner-up (raw), and the best score among the other entries (out of scope)."""

    in_scope: float
    correct: bool
    margin: float
    out_of_scope: float
    partial_margin: float = 0.0  # top minus runner-up by the words and character pieces alone
    partial_agrees: bool = False  # whether those alone put the same entry first
    own_embedding: float = 0.0  # the embedding score of its own entry (with the variant left out)


@dataclass(frozen=True)
class Calibration:
    centre: float  # the raw score that maps to confidence 0.5 (the derived threshold)
    scale: float  # raw-score units per logistic unit
    gap: float  # in calibrated units (see `units`)
    samples: int
    in_scope_kept: float  # share of left-out variants at or above the threshold
    out_of_scope_rejected: float  # share of left-out entries' best other scores below it
    # The embedding may be skipped when words and pieces lead by this much (inf: never).
    shortcut_margin: float = math.inf
    embedding_low: float = 0.0  # 5th percentile of a paraphrase's embedding score for its own entry
    embedding_typical: float = 0.0  # its median

    threshold: float = 0.5

    def units(self, raw: float) -> float:
        """A score in calibrated units: 0 at the threshold, ln 9 (2.2) at the median paraphrase."""
        return (raw - self.centre) / self.scale

    def confidence(self, raw: float) -> float:
        z = (raw - self.centre) / self.scale
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


DEFAULT: Final = Calibration(
    centre=0.4,
    scale=0.08,
    gap=0.2,
    samples=0,
    in_scope_kept=float("nan"),
    out_of_scope_rejected=float("nan"),
)


def calibrate(samples: Sequence[Sample]) -> Calibration:
    if len(samples) < MIN_SAMPLES:
        return DEFAULT
    positives = sorted(s.in_scope for s in samples)
    negatives = sorted(s.out_of_scope for s in samples)
    centre = positives[int((1.0 - KEPT) * len(positives))]
    scale = max((_median(positives) - centre) / math.log(9.0), 0.01)
    kept = 1.0 - _share_below(positives, centre)
    rejected = _share_below(negatives, centre)
    partial = Calibration(centre, scale, 0.0, len(samples), kept, rejected)
    gap = _gap(samples, partial)
    own = sorted(s.own_embedding for s in samples)
    return Calibration(
        centre,
        scale,
        gap,
        len(samples),
        kept,
        rejected,
        shortcut_margin=_shortcut_margin(samples, partial),
        embedding_low=own[int(0.05 * len(own))],
        embedding_typical=_median(own),
    )


def _shortcut_margin(samples: Sequence[Sample], calibration: Calibration) -> float:
    """The smallest lead of the words and pieces alone above which every left-out variant (at least
    `MIN_SAMPLES` of them) kept the same best entry with the embedding and was answered: there the
    embedding decides nothing and need not be computed."""
    ordered = sorted(samples, key=lambda s: -s.partial_margin)
    margin = math.inf
    for count, sample in enumerate(ordered, start=1):
        if not sample.partial_agrees or calibration.confidence(sample.in_scope) < calibration.threshold:
            break
        if count >= MIN_SAMPLES:
            margin = sample.partial_margin
    return margin


def _share_below(ordered: Sequence[float], value: float) -> float:
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if ordered[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low / len(ordered)


def _median(ordered: Sequence[float]) -> float:
    return ordered[len(ordered) // 2]


def _gap(samples: Sequence[Sample], calibration: Calibration) -> float:
    """The margin (calibrated units) up to which the top entry is wrong more often than right: scanning
    the answered left-out variants from the smallest margin up, in windows of `_WINDOW` neighbours, the
    upper end of the last window (of a run from the smallest) where the top entry was right in fewer
    than half. Where the top entry is a coin flip or worse, offering the choice beats guessing."""
    answered = [s for s in samples if calibration.confidence(s.in_scope) >= calibration.threshold]
    margins = sorted((s.margin / calibration.scale, s.correct) for s in answered)
    size = max(_WINDOW, len(margins) // 20)
    gap = NEAR_TIE
    for start in range(0, max(len(margins) - size + 1, 0)):
        window = margins[start : start + size]
        if sum(correct for _, correct in window) / size >= _RELIABLE:
            break
        gap = min(max(window[-1][0], NEAR_TIE), MAX_GAP)
    return gap


def cached(folder: Path, key: str) -> Calibration | None:
    """The calibration stored in `folder` for `key` (a hash of everything it was derived from)."""
    try:
        data = json.loads((folder / _CACHE_FILE).read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return Calibration(**data["calibration"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        logger.warning("calibration cache %s unreadable (%s): calibrating again", folder / _CACHE_FILE, exc)
        return None


def store(folder: Path, key: str, calibration: Calibration) -> None:
    data = json.dumps({"key": key, "calibration": asdict(calibration)}).encode()

    def write(out: BinaryIO) -> None:
        out.write(data)

    write_cache_file(folder / _CACHE_FILE, write)


_CACHE_FILE: Final = "faq-calibration.json"
