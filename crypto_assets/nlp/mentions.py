"""Find which listed coins a text mentions, in one pass per text (rules: ``mention_rules``).

A matcher is built once per listing: dictionaries from ticker, cashtag and name key to the
best-ranked coin, plus the set of name prefixes. A text is tokenised once with one compiled
regex; at each token the longest name is found by extending the key token by token only while
it is a known name prefix, so cost grows with the text, not with the number of coins.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from crypto_assets.nlp import mention_rules as rules

# One regex for everything: skipped spans (URLs, r/ and u/ references) or a word/cashtag.
_TOKEN_RE: Final = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|(?<![\w/])/?[ru]/\w+)|(?P<word>\$?[^\W_]+)"
)
_QUALIFIER_RE: Final = re.compile(r"\s*[(\[][^)\]]*[)\]]")


@dataclass(frozen=True, slots=True)
class _Coin:
    coin_id: str
    symbol: str
    name: str
    rank: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One coin mentioned by a post, with its mention counts in the title and the body."""

    coin_id: str
    symbol: str
    name: str
    title_mentions: int
    body_mentions: int


@dataclass(frozen=True, slots=True)
class _Hit:
    coin: _Coin
    first: int  # token index range [first, last] covered by the match
    last: int
    confirmed: bool
    by_name: bool


def _join_gap(gap: str) -> str | None:
    """How the gap between two tokens reads inside a name key (None: a name cannot span it)."""
    if not gap:
        return None
    return " " if gap.isspace() else gap.strip()


def _tokens(text: str) -> tuple[list[str], list[bool], list[str | None]]:
    words: list[str] = []
    cashtag: list[bool] = []
    gaps: list[str | None] = []  # gaps[k]: joiner between token k-1 and token k
    previous_end = None
    for match in _TOKEN_RE.finditer(text):
        if match.lastgroup == "skip":
            previous_end = None
            continue
        word = match.group()
        gaps.append(None if previous_end is None else _join_gap(text[previous_end : match.start()]))
        cashtag.append(word[0] == "$")
        words.append(word.lstrip("$"))
        previous_end = match.end()
    return words, cashtag, gaps


def _name_key(name: str) -> tuple[str, tuple[str, ...]] | None:
    words, _, gaps = _tokens(_QUALIFIER_RE.sub("", name))
    if not words or any(gap is None for gap in gaps[1:]):
        return None
    lower = [word.lower() for word in words]
    key = lower[0] + "".join(f"{gap}{word}" for gap, word in zip(gaps[1:], lower[1:]))
    return key, tuple(lower)


class MentionMatcher:
    """Counts mentions of the coins of one listing in texts."""

    def __init__(self, coins: Iterable[_Coin]) -> None:
        self._tickers: dict[str, tuple[_Coin, bool]] = {}
        self._cashtags: dict[str, _Coin] = {}
        self._names: dict[str, tuple[_Coin, bool]] = {}
        self._prefixes: set[str] = set()
        for coin in sorted(coins, key=lambda c: c.rank):  # best rank first: setdefault keeps it
            symbol = coin.symbol.strip().lstrip("$")
            if rules.single_token(symbol) and rules.has_letter(symbol):
                self._tickers.setdefault(symbol, (coin, rules.is_ambiguous_ticker(symbol)))
                self._cashtags.setdefault(symbol.upper(), coin)
            parsed = _name_key(coin.name)
            if parsed is None or len(parsed[0]) < 2 or not rules.has_letter(parsed[0]):
                continue
            key, name_words = parsed
            self._names.setdefault(key, (coin, rules.is_ambiguous_name(name_words)))
            for end in range(1, len(name_words)):
                self._prefixes.add(_name_key_prefix(key, name_words, end))

    @classmethod
    def from_coins(cls, coins: Iterable[Mapping[str, object]]) -> "MentionMatcher":
        """Build from listing rows having at least id, symbol, name and rank."""
        return cls(
            _Coin(str(c["id"]), str(c["symbol"]), str(c["name"]), _rank(c.get("rank")))
            for c in coins
        )

    def find(self, text: str | None) -> dict[str, int]:
        """Return coin id -> number of mentions of that coin in ``text``."""
        if not text:
            return {}
        words, cashtag, gaps = _tokens(text)
        hits = self._candidates(words, cashtag, gaps)
        if not any(not hit.confirmed for hit in hits):
            return dict(Counter(hit.coin.coin_id for hit in hits))
        return dict(Counter(hit.coin.coin_id for hit in _resolve(hits, words)))

    def find_in_post(self, title: str, body: str | None) -> list[Mention]:
        """Return the coins mentioned in a post's title or body, best-ranked first."""
        in_title, in_body = self.find(title), self.find(body)
        coins = {hit.coin_id: hit for hit, _ in self._tickers.values()}
        coins.update({hit.coin_id: hit for hit, _ in self._names.values()})
        mentioned = sorted((coins[cid] for cid in in_title.keys() | in_body.keys()), key=_order)
        return [
            Mention(c.coin_id, c.symbol, c.name, in_title.get(c.coin_id, 0), in_body.get(c.coin_id, 0))
            for c in mentioned
        ]

    def _candidates(self, words: list[str], cashtag: list[bool], gaps: list) -> list[_Hit]:
        hits: list[_Hit] = []
        i, count = 0, len(words)
        while i < count:
            word = words[i]
            if cashtag[i] and (coin := self._cashtags.get(word.upper())):
                hits.append(_Hit(coin, i, i, confirmed=True, by_name=False))
                i += 1
                continue
            name_hit, end = self._longest_name(words, cashtag, gaps, i)
            ticker = None if cashtag[i] else self._tickers.get(word)
            if name_hit and (end > i or not ticker or _better(name_hit, ticker)):
                coin, ambiguous = name_hit
                hits.append(_Hit(coin, i, end, not ambiguous, by_name=True))
                i = end + 1
                continue
            if ticker:
                hits.append(_Hit(ticker[0], i, i, not ticker[1], by_name=False))
            i += 1
        return hits

    def _longest_name(self, words, cashtag, gaps, i) -> tuple[tuple[_Coin, bool] | None, int]:
        key, j, best, best_end = words[i].lower(), i, None, i
        while True:
            if entry := self._names.get(key):
                best, best_end = entry, j
            if key not in self._prefixes or j + 1 >= len(words) or cashtag[j + 1]:
                return best, best_end
            if (gap := gaps[j + 1]) is None:
                return best, best_end
            j += 1
            key = f"{key}{gap}{words[j].lower()}"
