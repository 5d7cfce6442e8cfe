"""Text rewriting before VADER: glued punctuation, "buy the dip" / "bear market is over", phrases.

NLTK's VADER splits on whitespace and only peels ``. ! ? , ; : - ' "`` off a word, so a word
glued to other punctuation ("shitcoin=", "(scam)", Markdown's "**bullish**") is not found in
the lexicon. ``unglue`` strips the leading and trailing punctuation of a word of three letters
or more (not an emoticon) when it includes a bracket, Markdown mark or "=", keeping ``!`` and
``?`` which VADER counts. Hashtags, @names and "..." are left as NLTK reads them: stripping
those too (as vaderSentiment 3.3.2 does) lowers Pearson r on VADER's own tweet ratings.

Context rules run before the phrase table: buying or accumulating into a drop ("buy the dip",
"DCA the bear market", "accumulating this dip") reads as confidence, so it becomes the token
``buythedip``; "bear market is over" becomes ``bearmarketover`` (relief), not ``bearmarket``;
"fine" after an amount, "record" or a levying verb becomes ``penalty`` (stock -2.0).
"""

import re
import string
from collections.abc import Callable, Collection, Mapping
from typing import Final

from crypto_assets.nlp.sentiment.crypto_lexicon import CRYPTO_PHRASES

_KEPT_PUNCTUATION: Final = "!?"  # VADER amplifies on the count of these in the whole text
GLUE: Final = frozenset("()[]{}<>*_=~|`")  # brackets, Markdown and "="; NLTK peels none
_TOKEN_RE: Final = re.compile(r"\S+")

_BUYING: Final = r"(?:buy|buys|buying|bought|accumulate|accumulates|accumulating|accumulated"
_BUYING_MORE: Final = r"|dca|dcaing|dca'?ing|dca'd|stack|stacking|scoop|scooping|load|loading)"
_INTO: Final = r"(?:\s+(?:up|more|some))?(?:\s+(?:the|this|that|every|any|in\s+the|during\s+the))?"
_DROP: Final = r"(?:dips?|bear[\s-]*markets?|bearmarkets?|crash(?:es)?|corrections?)"
BUY_THE_DIP_RE: Final = re.compile(rf"\b{_BUYING}{_BUYING_MORE}{_INTO}\s+{_DROP}\b", re.I)
BEAR_OVER_RE: Final = re.compile(
    r"\bbear[\s-]*market\s+(?:is|was|has|'s|\u2019s)?\s*(?:finally\s+|officially\s+|now\s+)?"
    r"(?:over|ended|done|behind\s+us)\b|\bend\s+of\s+the\s+bear[\s-]*market\b",
    re.I,
)
# "fine" as a penalty: an amount, "record" or a levying verb before it ("$126M fine", "record
# fine", "levies a fine"). Stock VADER reads every "fine" as "okay" (+0.8).
_AMOUNT: Final = r"\$?\d[\d.,]*\s*(?:[kmb]|million|billion)?"
FINE_RE: Final = re.compile(
    rf"\b(?:{_AMOUNT}|record|levies|levied|imposes|imposed|faces|pays|paid|issues|issued)"
    rf"(?:\s+(?:a|an|the|{_AMOUNT}|record|usd))*\s+fine\b",
    re.I,
)


def unglue(text: str, keep: Collection[str] = frozenset()) -> str:
    """Strip punctuation glued to the ends of each word, except tokens in ``keep`` (emoticons)."""

    def fix(match: re.Match[str]) -> str:
        token = match.group()
        if token.lower() in keep:
            return token
        word = token.strip(string.punctuation)
        if len(word) <= 2 or not GLUE.intersection(token.replace(word, "", 1)):
            return token
        marks = "".join(c for c in token if c in _KEPT_PUNCTUATION and c not in word)
        return word + marks

    return _TOKEN_RE.sub(fix, text)


def phrase_rewriter(phrases: Mapping[str, str]) -> Callable[[str], str]:
    """Return a function rewriting each phrase (words split by spaces or hyphens) to its token."""
    alternatives = [
        r"[\s-]+".join(re.escape(word) for word in phrase.split())
        for phrase in sorted(phrases, key=len, reverse=True)  # "all time highs" first
    ]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    separators = re.compile(r"[\s-]+")

    def token(match: re.Match[str]) -> str:
        found = match.group()
        folded = phrases[separators.sub(" ", found.lower())]
        return folded.upper() if found.isupper() else folded  # keep VADER's ALL-CAPS boost

    return lambda text: pattern.sub(token, text)


apply_crypto_phrases: Final = phrase_rewriter(CRYPTO_PHRASES)


def _keep_case(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda m: replacement.upper() if m.group().isupper() else replacement


def apply_context_rules(text: str) -> str:
    """Rewrite buying-into-a-drop to ``buythedip`` and "bear market is over" to a relief token."""
    text = BEAR_OVER_RE.sub(_keep_case("bearmarketover"), text)
    text = FINE_RE.sub(lambda m: m.group()[: -len("fine")] + "penalty", text)
    return BUY_THE_DIP_RE.sub(_keep_case("buythedip"), text)


def prepare_text(text: str, keep: Collection[str] = frozenset()) -> str:
    """Apply every rewrite: ungluing, context rules, then the phrase table."""
    return apply_crypto_phrases(apply_context_rules(unglue(text, keep)))
