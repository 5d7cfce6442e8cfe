"""Directions tried against the light model's held-out gaps, kept so their figures can be rerun.

None is shipped (docs/sentiment.md says why); ``benchmarks/bench_sentiment_directions.py``
compares them with the shipped light model on the corpus splits.

- **Subreddit copies** (feature augmentation, Daumé III 2007, "frustratingly easy domain
  adaptation"): every feature gets a shared column and one column per training subreddit that
  only that subreddit's rows fill. The subreddit-specific habit of a word can then sit in its
  own column instead of the shared one, and only the shared weights are kept, so a subreddit
  never seen is scored by what the training subreddits have in common.
- **Without function words**: pronouns, articles and the like dropped as single terms. Held
  out, r/Bitcoin's positive first-person stories ("I found a block as a solo miner", "Took self
  custody of my keys today") are called negative mostly through "i" and "my", which the support
  subreddits (r/CoinBase, r/binance) teach as complaint words: genre, not sentiment.
- **Oracle prior**: the light model's probabilities re-weighted to the held-out texts' true
  class shares. It reads the test labels, so it is a bound on what any label-shift correction
  (EM, black-box shift estimation) could reach, not a model.
"""

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from crypto_assets.nlp.sentiment.model import CLASSES, SentimentModel
from crypto_assets_tools.sentiment_corpus import CorpusText
from crypto_assets_tools.sentiment_models import (
    Fitter,
    Prediction,
    VaderCache,
    _from_probabilities,
)
from crypto_assets_tools.sentiment_training import (
    SparseRows,
    design_matrix,
    fit_softmax,
    train,
    vocabulary_and_idf,
)

# Pronouns, articles, auxiliaries, conjunctions and non-directional prepositions (drawn from
# NLTK's English stop words; that corpus is not installed). Negations and words of
# direction or degree ("not", "up", "down", "more", "very") stay: in market texts they carry
# the sentiment.
_FUNCTION_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did doing
    a an the and but if or because as until while of at by for with about between into through
    during before after to from in out on then once here there when where why how all any both
    each other some such only own same so than s t can will just should now d ll m o re ve y ma
    i'm i've i'd i'll you're you've you'll you'd he's she's it's we're we've we'll we'd they're
    they've they'll they'd that's there's what's let's that'll should've
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def with_domain_copies(x: SparseRows, domains: Sequence[str], weight: float) -> SparseRows:
    """``x`` followed by one copy of its columns per domain, filled only on that domain's rows.

    Columns are [shared | first domain | second domain | ...], domains in sorted order; each
    copy's values are ``weight`` times the shared ones (a larger weight makes the copies cheaper
    under the L2 penalty, so they absorb more).
    """
    names = sorted(set(domains))
    width = x.shape[1]
    rows, cols, values = [x.rows], [x.cols], [x.values]
    row_domain = np.array([names.index(d) for d in domains])[x.rows]
    for k in range(len(names)):
        mine = row_domain == k
        rows.append(x.rows[mine])
        cols.append(x.cols[mine] + width * (k + 1))
        values.append(x.values[mine] * weight)
    return SparseRows(
        np.concatenate(rows), np.concatenate(cols), np.concatenate(values),
        (x.shape[0], width * (len(names) + 1)),
    )  # fmt: skip


def _probabilities(
    model: SentimentModel, vader: VaderCache, texts: Sequence[CorpusText]
) -> np.ndarray:
    """Class probabilities of ``texts``, one row each, columns in ``CLASSES`` order."""
    rows = [model.probabilities(t.text, vader(t)) for t in texts]
    return np.array([[p[c] for c in CLASSES] for p in rows])


def _light_variant_fitter(
    vader: VaderCache,
    hyper: dict[str, float],
    *,
    keep: Callable[[str], bool] | None = None,
    copies: float | None = None,
) -> Fitter:
    """The light model with ``keep`` filtering its vocabulary and/or subreddit ``copies``."""
    min_df, vader_scale = int(hyper["min_df"]), hyper["vader_scale"]

    def fit(train_texts: Sequence[CorpusText]):
        vocabulary, idf = vocabulary_and_idf([t.text for t in train_texts], min_df)
        kept = [
            (term, v) for term, v in zip(vocabulary, idf, strict=True) if not keep or keep(term)
        ]
        index = {term: i for i, (term, _) in enumerate(kept)}
        idf = [v for _, v in kept]
        width = len(kept) + 2  # the terms, then VADER's title and combined compounds
        blank = SentimentModel(index, idf, [[0.0] * width] * 3, [0.0] * 3, vader_scale, "")
        x = design_matrix(blank, [t.text for t in train_texts], [vader(t) for t in train_texts])
        if copies is not None:
            x = with_domain_copies(x, [t.subreddit for t in train_texts], copies)
        coef, intercept = fit_softmax(x, [CLASSES.index(t.label) for t in train_texts], hyper["l2"])
        shared = coef[:, :width].round(6).tolist()
        model = SentimentModel(index, idf, shared, intercept.tolist(), vader_scale, "")
        return lambda texts: _from_probabilities(_probabilities(model, vader, texts))

    return fit


def subreddit_copies_fitter(vader: VaderCache, *, weight: float, **hyper: float) -> Fitter:
    """The light model fitted with subreddit copies of its features; predicts with shared ones."""
    return _light_variant_fitter(vader, hyper, copies=weight)


def without_function_words_fitter(vader: VaderCache, **hyper: float) -> Fitter:
    """The light model without single function words as terms (their bigrams stay)."""
    return _light_variant_fitter(vader, hyper, keep=lambda term: term not in FUNCTION_WORDS)


def prior_corrected(probs: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Rows of class probabilities re-weighted by class ``shares`` and renormalised.

    The light model is fitted with balanced class weights, so its own prior is uniform and
    Bayes' rule for a new prior is a plain product.
    """
    weighted = probs * shares
    return weighted / weighted.sum(axis=1, keepdims=True)


def oracle_prior_fitter(vader: VaderCache, *, l2: float, min_df: int, vader_scale: float) -> Fitter:
    """The light model, its probabilities re-weighted to the test texts' true class shares."""

    def fit(train_texts: Sequence[CorpusText]):
        model = train(
            [t.text for t in train_texts], [vader(t) for t in train_texts],
            [t.label for t in train_texts], l2=l2, min_df=min_df, vader_scale=vader_scale,
            version="",
        )  # fmt: skip

        def predict(texts: Sequence[CorpusText]) -> Prediction:
            counts = Counter(t.label for t in texts)  # the test labels: this is the oracle
            shares = np.array([counts[c] for c in CLASSES], dtype=float) / max(len(texts), 1)
            probs = prior_corrected(_probabilities(model, vader, texts), shares)
            return _from_probabilities(probs)

        return predict

    return fit
