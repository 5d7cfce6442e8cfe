"""VADER sentiment with NLTK's analyzer, loaded offline from the vadersentiment wheel's lexicon.

NLTK's ``SentimentIntensityAnalyzer()`` wants the ``vader_lexicon`` download, which is
unreachable offline, and nltk 3.10 refuses a ``file:`` lexicon outside its data path. The
``vadersentiment`` wheel ships the same lexicon (7,506 entries), so the analyzer is built
without ``nltk.data`` at all: the file is read from the installed package and parsed by the
analyzer's own ``make_lex_dict``. Nothing is read until the first analyzer is needed, nothing
is written and no network is touched.

NLTK's analyzer ignores emoji; vaderSentiment replaces each emoji by its description from
``emoji_utf8_lexicon.txt`` before scoring, and this module does the same, so scores equal
vaderSentiment 3.3.2's (stock) on all 16 README sentences.
"""

import functools
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Final

from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

from crypto_assets.nlp.crypto_lexicon import CRYPTO_LEXICON, apply_crypto_phrases

POSITIVE_THRESHOLD: Final = 0.05
NEGATIVE_THRESHOLD: Final = -0.05

_VADER_PACKAGE: Final = "vaderSentiment"


@functools.cache
def _packaged_text(name: str) -> str:
    return files(_VADER_PACKAGE).joinpath(name).read_text(encoding="utf-8")


class _PackagedLexiconAnalyzer(SentimentIntensityAnalyzer):
    """NLTK's analyzer fed with lexicon text instead of an ``nltk.data`` resource."""

    def __init__(self, lexicon_text: str) -> None:
        # Deliberately not calling super().__init__: it would go through nltk.data.load.
        # make_lex_dict expects exactly "word<TAB>mean..." lines, so drop blank lines.
        self.lexicon_file = "\n".join(line for line in lexicon_text.splitlines() if line.strip())
        self.lexicon = self.make_lex_dict()
        self.constants = VaderConstants()


def load_analyzer(extra_lexicon: Mapping[str, float] | None = None) -> SentimentIntensityAnalyzer:
    """Build NLTK's VADER analyzer offline, optionally overlaying extra lexicon entries."""
    analyzer = _PackagedLexiconAnalyzer(_packaged_text("vader_lexicon.txt"))
    if extra_lexicon:
        analyzer.lexicon.update({word.lower(): float(v) for word, v in extra_lexicon.items()})
    return analyzer


@functools.cache
def _emoji_descriptions() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in _packaged_text("emoji_utf8_lexicon.txt").splitlines():
        emoji, _, description = line.partition("\t")
        # vaderSentiment looks emoji up one character at a time, so multi-character
        # sequences (flags, skin tones) never match there either.
        if len(emoji) == 1 and description:
            table[ord(emoji)] = f" {description.strip()} "
    return table


def label(compound: float) -> str:
    """Map a compound score to "positive", "negative" or "neutral" (VADER's +-0.05 cut-offs)."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def combined_text(title: str, body: str | None) -> str:
    """Join a post's title and body into the one text whose combined sentiment is scored."""
    parts = [part.strip() for part in (title, body) if part and part.strip()]
    return "\n\n".join(parts)


class SentimentScorer:
    """Scores texts with VADER's compound, with or without the crypto lexicon and phrases."""

    def __init__(self, use_crypto_lexicon: bool = True) -> None:
        self.use_crypto_lexicon = use_crypto_lexicon
        self._analyzer = load_analyzer(CRYPTO_LEXICON if use_crypto_lexicon else None)
        self._emoji = _emoji_descriptions()

    def compound(self, text: str | None) -> float:
        """Return the VADER compound score of ``text`` in [-1, 1]; 0.0 for empty or None."""
        if not isinstance(text, str) or not text.strip():  # also NaN from a pandas column
            return 0.0
        if self.use_crypto_lexicon:
            text = apply_crypto_phrases(text)
        return float(self._analyzer.polarity_scores(text.translate(self._emoji))["compound"])

    def compound_many(self, texts: Iterable[str | None]) -> list[float]:
        """Return the compound score of each text, in order."""
        return [self.compound(text) for text in texts]
