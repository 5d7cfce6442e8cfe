"""What a sentiment model costs: scoring speed, peak memory and install size.

Speed is measured the way the ``sentiment_scores`` asset scores: title and title + body with
VADER (crypto rules), then ``model_sentiment``. Peak memory is the process's maximum resident
set size. Install size is the sum of the installed files of a distribution and everything it
requires, transitively (what ``pip install`` brings for it).
"""

import re
import resource
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, distribution

from crypto_assets.nlp.sentiment import SentimentScorer, combined_text
from crypto_assets.nlp.sentiment.model import shipped_model


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def score_posts(posts: Sequence[tuple[str, str]], model: str) -> list[float]:
    """``model_sentiment`` of (title, body) posts with the ``light`` or ``embeddings`` model."""
    scorer = SentimentScorer(use_crypto_lexicon=True)
    texts = [combined_text(title, body) for title, body in posts]
    vader = [
        (scorer.compound(t), scorer.compound(c)) for (t, _), c in zip(posts, texts, strict=True)
    ]
    if model == "embeddings":
        from crypto_assets.nlp.sentiment.embedding import score_texts

        return score_texts(texts, vader)
    light = shipped_model()
    return [light.score(text, pair) for text, pair in zip(texts, vader, strict=True)]


def posts_per_second(posts: Sequence[tuple[str, str]], model: str) -> float:
    """Posts scored per second by one process (after a warm-up that loads the model)."""
    score_posts(posts[:8], model)
    start = time.perf_counter()
    score_posts(posts, model)
    return len(posts) / (time.perf_counter() - start)


def _name(requirement: str) -> str | None:
    if ";" in requirement and "extra ==" in requirement.split(";", 1)[1]:
        return None  # an optional extra of the dependency, not installed with it
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    return match.group(0) if match else None


def install_size_mb(root: str) -> tuple[float, dict[str, float]]:
    """Installed size of ``root`` and its transitive requirements: total MB and MB per package."""
    sizes: dict[str, float] = {}
    todo = [root]
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in sizes:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        total = 0
        for file in dist.files or ():
            path = file.locate()
            if path.is_file():
                total += path.stat().st_size
        sizes[name] = total / 1e6
        todo += [n for n in map(_name, dist.requires or ()) if n]
    return sum(sizes.values()), sizes


def million_posts_hours(rate: float, processes: int = 2) -> float:
    """Hours to score 1,000,000 posts at ``rate`` posts/s per process, ``processes`` at once."""
    return 1_000_000 / (rate * processes) / 3600
