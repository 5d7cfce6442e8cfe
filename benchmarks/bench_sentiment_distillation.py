"""Benchmark of a direction, not of the shipped model: the light model distilled from the
embeddings model on unlabelled posts, against the light model alone, on the corpus splits.

Run (a Python with the embeddings extra, pip install 'crypto_assets[embeddings]'):
    python benchmarks/bench_sentiment_distillation.py --may-2022 DIR --other FILE [--other ...]
        [--split NAME ...] [--weight 1.0]
DIR holds the May 2022 Reddit month files (``<subreddit>_2022-05.ndjson``); each FILE is one
of the other-year NDJSON files scripts/build_corpus_sources.py rebuilds. The unlabelled pool is
their posts and the shipped 2025 recording's, minus every corpus text. In each fold the
teacher (the embeddings head) is fitted on the fold's training texts only and gives class
probabilities for the pool posts outside the held-out group (its subreddit, or its era; the
out-of-period split drops all of May 2022); the student is the light model fitted on the
labelled texts plus those posts with the teacher's probabilities as targets
(``train(unlabelled=..., soft=...)``), its vocabulary drawn from both. Binary accuracy, both models.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from crypto_assets.nlp.sentiment import SentimentScorer, combined_text
from crypto_assets.nlp.sentiment.model import CLASSES, _shipped_text
from crypto_assets.sources.replay import REDDIT_RECORDING
from crypto_assets_tools.embedding_features import corpus_embeddings, feature_rows
from crypto_assets_tools.sentiment_corpus import ERAS, CorpusText, all_splits, load_corpus
from crypto_assets_tools.sentiment_metrics import score
from crypto_assets_tools.sentiment_models import VaderCache, _from_probabilities, light_fitter
from crypto_assets_tools.sentiment_training import DenseRows, fit_softmax, train

REPO = Path(__file__).resolve().parents[1]
RECORDING = REPO / "crypto_assets/sources/recordings" / REDDIT_RECORDING
HEAD = REPO / "crypto_assets/nlp/sentiment/embedding_head.json"
DEFAULT_SPLITS = ("in-domain (5-fold)", "crash days 13-20 May 2022", "era 2021", "r/Bitcoin")


def _post(post_id: str, sub: str, created: datetime, title: str, body: str) -> CorpusText:
    """An unlabelled post as a corpus row (label empty), its pool named as the corpus does."""
    pool = "2022-05" if (created.year, created.month) == (2022, 5) else f"{created:%Y}"
    pool = "2025-10" if pool == "2025" else pool
    body = "" if body in ("[removed]", "[deleted]") else body
    return CorpusText(post_id, pool if pool in ERAS else "other", "", sub, "", title,
                      combined_text(title, body), "")  # fmt: skip


def unlabelled_pool(may_2022: Path, others: list[Path], corpus: set[str]) -> list[CorpusText]:
    """Every readable post of the files and the recording that is not a corpus text."""
    found: dict[str, CorpusText] = {}
    raw = [
        json.loads(line)
        for path in [*sorted(may_2022.glob("*_2022-05.ndjson")), *others]
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    for p in raw:
        created = datetime.fromtimestamp(float(p["created_utc"]), UTC)
        found.setdefault(p.get("id") or "", _post(p.get("id") or "", p["subreddit"], created,
                         (p.get("title") or "").strip(), (p.get("selftext") or "").strip()))  # fmt: skip
    for p in json.loads(RECORDING.read_text(encoding="utf-8")):
        created = datetime.fromisoformat(p["created_utc"]).replace(tzinfo=UTC)
        found.setdefault(p["post_id"], _post(p["post_id"], p["subreddit"], created,
                         p["title"].strip(), (p.get("selftext") or "").strip()))  # fmt: skip
    return [t for i, t in found.items() if i and i not in corpus and t.text.strip()]


def _era(text: CorpusText) -> str:
    return ERAS.get(text.pool, "other")


_STATE: dict = {}  # filled once in main, shared with the forked workers


def _student(
    train_texts: list[CorpusText], test: list[CorpusText], kind: str, weight: float
) -> tuple[list[float], list[str]]:
    """Teacher on ``train_texts``, student on them + the pool outside ``test``'s groups."""
    s = _STATE
    subs, eras = {t.subreddit.lower() for t in test}, {_era(t) for t in test}
    keep = [
        i for i, p in enumerate(s["pool"])
        if kind == "in-domain"
        or (kind == "subreddit" and p.subreddit.lower() not in subs)
        or (kind != "subreddit" and _era(p) not in eras)
    ]  # fmt: skip
    y = [CLASSES.index(t.label) for t in train_texts]
    coef, intercept = fit_softmax(
        DenseRows(np.stack([s["rows"][t.text_id] for t in train_texts])), y, s["head_l2"]
    )
    logits = s["pool_rows"][keep] @ coef.T + intercept
    soft = np.exp(logits - logits.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    vader = s["vader"]
    model = train(
        [t.text for t in train_texts], [vader(t) for t in train_texts],
        [t.label for t in train_texts], **s["hyper"], version="",
        unlabelled=[(p.text, vader(p)) for p in (s["pool"][i] for i in keep)],
        soft=soft, soft_weight=weight,
    )  # fmt: skip
    probs = [model.probabilities(t.text, vader(t)) for t in test]
    return _from_probabilities(np.array([[p[c] for c in CLASSES] for p in probs]))


def _run(job: tuple[str, float]) -> tuple[str, float, float, int]:
    """Binary accuracy of the light model and of the student on one split."""
    name, weight = job
    texts, split = _STATE["texts"], _STATE["splits"][name]
    light = light_fitter(_STATE["vader"], **_STATE["hyper"])
    figures = []
    for fit in (lambda tr, te: light(tr)(te), lambda tr, te: _student(tr, te, split.kind, weight)):
        scores, labels = [], []
        for train_rows, test_rows in split.folds:
            s, lab = fit([texts[i] for i in train_rows], [texts[i] for i in test_rows])
            scores, labels = scores + s, labels + lab
        gold = [texts[i].label for i in split.test_indices()]
        figures.append(score(gold, scores, labels, resamples=1).binary.value)
    return name, *figures, len(_STATE["pool"])


def main() -> None:
    """Fit both models on the chosen splits and print their binary accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--may-2022", type=Path, required=True)
    parser.add_argument("--other", type=Path, action="append", default=[])
    parser.add_argument("--split", action="append", help=f"default: {', '.join(DEFAULT_SPLITS)}")
    parser.add_argument("--weight", type=float, default=1.0, help="soft_weight of pool posts")
    args = parser.parse_args()
    texts = load_corpus()
    pool = unlabelled_pool(args.may_2022, args.other, {t.text_id for t in texts})
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    head = json.loads(HEAD.read_text())["hyperparameters"]
    everything = texts + pool
    rows = feature_rows(everything, corpus_embeddings(everything), vader, head["vader_scale"])
    _STATE.update(
        texts=texts, pool=pool, vader=vader, rows=rows, head_l2=head["l2"],
        pool_rows=np.stack([rows[t.text_id] for t in pool]),
        hyper=json.loads(_shipped_text())["hyperparameters"],
        splits={s.name: s for s in all_splits(texts)},
    )  # fmt: skip
    jobs = [(name, args.weight) for name in args.split or DEFAULT_SPLITS]
    with multiprocessing.get_context("fork").Pool(2) as workers:
        for name, light, student, n in workers.imap(_run, jobs):
            print(f"{name:<28} light {light:.3f}  distilled {student:.3f} "
                  f"({100 * (student - light):+.1f}; pool {n:,} posts, weight {args.weight})",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
