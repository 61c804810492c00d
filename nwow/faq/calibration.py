"""What a score means on this knowledge base: the answer threshold and the ambiguity gap, derived at load.

A combined score (`matcher.py`) depends on the knowledge base: how many entries, how alike they are, how
many variants each has. So the index asks itself questions it knows the answer to, at load:

- leave one variant out: a question variant is asked as if it had never been written (taken out of its
  entry's evidence). Its best score is what a new paraphrase of a known question scores: in scope.
- leave its entry out: the best score among the OTHER entries is what a question about a neighbouring
  subject the knowledge base does not cover scores: out of scope, and a hard case of it.

The threshold is where the two kinds are told apart with equal error (as many in-scope questions fall
below it as out-of-scope ones rise above it). Scores are then mapped to a confidence with a logistic
curve centred on that threshold and scaled by the spread of the two kinds, so 0.5 is the derived
threshold on every knowledge base and a confidence reads the same everywhere.

The gap: among the left-out variants whose best two entries are close, the top one is often wrong; the
gap is the largest margin (in confidence) below which the top entry is right less than two times in
three (capped at `MAX_GAP`). Below that margin the bot offers both instead of guessing.

With too few samples (a knowledge base of a handful of entries) `DEFAULT` is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

MIN_SAMPLES: Final = 20
MAX_GAP: Final = 0.15
_RELIABLE: Final = 2 / 3


@dataclass(frozen=True)
class Sample:
    """One left-out variant: the best in-scope score, whether it was the right entry, the margin to
    the runner-up (raw), and the best score among the other entries (out of scope)."""

    in_scope: float
    correct: bool
    margin: float
    out_of_scope: float


@dataclass(frozen=True)
class Calibration:
    centre: float  # the raw score that maps to confidence 0.5 (the derived threshold)
    scale: float  # raw-score units per logistic unit
    gap: float  # in confidence
    samples: int
    in_scope_kept: float  # share of left-out variants at or above the threshold
    out_of_scope_rejected: float  # share of left-out entries' best other scores below it

    threshold: float = 0.5

    def confidence(self, raw: float) -> float:
        z = (raw - self.centre) / self.scale
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


DEFAULT: Final = Calibration(
    centre=0.45,
    scale=0.06,
    gap=0.05,
    samples=0,
    in_scope_kept=float("nan"),
    out_of_scope_rejected=float("nan"),
)


def calibrate(samples: Sequence[Sample]) -> Calibration:
    if len(samples) < MIN_SAMPLES:
        return DEFAULT
    positives = sorted(s.in_scope for s in samples)
    negatives = sorted(s.out_of_scope for s in samples)
    centre = _equal_error(positives, negatives)
    spread = _median(positives) - _median(negatives)
    scale = max(spread / 4.0, 0.01)
    kept = sum(p >= centre for p in positives) / len(positives)
    rejected = sum(n < centre for n in negatives) / len(negatives)
    partial = Calibration(centre, scale, 0.0, len(samples), kept, rejected)
    gap = _gap(samples, partial)
    return Calibration(centre, scale, gap, len(samples), kept, rejected)


def _equal_error(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The score where the share of positives below equals the share of negatives at or above."""
    candidates = sorted(set(positives) | set(negatives))
    best = (math.inf, 0.0)
    for value in candidates:
        below = _share_below(positives, value)
        above = 1.0 - _share_below(negatives, value)
        best = min(best, (abs(below - above), value))
    return best[1]


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
    """The largest confidence margin below which the top entry is right less than 2 times in 3."""
    answered = [s for s in samples if calibration.confidence(s.in_scope) >= calibration.threshold]
    margins = sorted(
        (calibration.confidence(s.in_scope) - calibration.confidence(s.in_scope - s.margin), s.correct)
        for s in answered
    )
    gap = 0.0
    right = 0
    for count, (margin, correct) in enumerate(margins, start=1):
        right += correct
        if margin > MAX_GAP:
            break
        if count >= 5 and right / count < _RELIABLE:
            gap = margin
    return gap
