"""Label thresholds fitted on the labelled dev split: fewer posts called positive than VADER's.

VADER calls a text positive from compound 0.05. Reddit posts run long and polite ("thanks",
"help", "like"), so most drift above that while the author takes no side. ``fit_thresholds``
grid-searches the two cut-offs that maximise 3-class macro-F1 on the dev split only; the
result is frozen as ``CALIBRATED_THRESHOLDS`` in ``crypto_assets.nlp.sentiment``.
"""

from collections.abc import Sequence
from typing import Final

from crypto_assets_tools.sentiment_eval import macro_f1

GRID: Final = tuple(round(0.05 * step, 2) for step in range(1, 19))  # 0.05 .. 0.90


def labels_for(compounds: Sequence[float], negative: float, positive: float) -> list[str]:
    """Label each compound: positive at or above ``positive``, negative at or below ``negative``."""
    return [
        "positive" if c >= positive else "negative" if c <= negative else "neutral"
        for c in compounds
    ]


def fit_thresholds(gold: Sequence[str], compounds: Sequence[float]) -> tuple[float, float]:
    """Return (negative, positive) cut-offs maximising macro-F1; ties go to the smallest cuts."""
    best: tuple[float, float, float] | None = None
    for positive in GRID:
        for magnitude in GRID:
            score = macro_f1(gold, labels_for(compounds, -magnitude, positive))
            if best is None or score > best[0] + 1e-12:
                best = (score, -magnitude, positive)
    assert best is not None
    return best[1], best[2]
