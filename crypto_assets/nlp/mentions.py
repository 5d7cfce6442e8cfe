"""Find which listed coins a text mentions, in one pass per text (rules: ``mention_rules``).

A matcher is built once per listing: dictionaries from ticker, cashtag and name key to the
best-ranked coin, plus the set of name prefixes. A text is tokenised once with one compiled
regex; at each token the longest name is found by extending the key word by word only while
it is a known name prefix, so the cost grows with the text, not with the number of coins.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

from crypto_assets.nlp import mention_case as case
from crypto_assets.nlp import mention_context as context
from crypto_assets.nlp import mention_rules as rules
from crypto_assets.nlp.mention_aliases import alias_table_text, aliases_for
from crypto_assets.nlp.mention_context import Coin, Hit
from crypto_assets.nlp.mention_text import Tokens, name_keys, tokenize

_RULE_FILES: Final = (
    "mentions.py", "mention_rules.py", "mention_case.py", "mention_context.py",
    "mention_text.py", "mention_aliases.py", rules._WORDS_FILE, *case.data_files(),
)  # fmt: skip


def _rules_version() -> str:
    """A content hash of the rule code, word lists and alias table: changes with any of them."""
    digest = hashlib.sha256(alias_table_text().encode())
    for name in _RULE_FILES:
        digest.update(files(__package__).joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


MENTION_RULES_VERSION: Final = _rules_version()


@dataclass(frozen=True, slots=True)
class Mention:
    """One coin mentioned by a post, with its mention counts in the title and the body."""

    coin_id: str
    symbol: str
    name: str
    title_mentions: int
    body_mentions: int


class MentionMatcher:
    """Counts mentions of the coins of one listing in texts."""

    def __init__(self, coins: Iterable[Coin], *, extended: bool = True) -> None:
        """Index ``coins``; ``extended=False`` turns off case-free tickers, amounts and aliases."""
        self._coins: dict[str, Coin] = {}
        self._tickers: dict[str, tuple[Coin, bool]] = {}  # exact symbol -> (coin, ambiguous)
        self._cashtags: dict[str, Coin] = {}  # upper-case symbol -> coin
        self._names: dict[str, tuple[Coin, bool]] = {}  # name key -> (coin, ambiguous)
        self._prefixes: set[str] = set()
        self._case_free = case.CaseFreeTickers()  # rule 2 extensions: "eth", "Uni", "2 sol"
        for coin in sorted(coins, key=lambda c: c.rank):  # best rank first; setdefault keeps it
            self._coins.setdefault(coin.coin_id, coin)
            symbol = coin.symbol.strip().removeprefix("$")
            if rules.single_token(symbol) and rules.has_letter(symbol):
                self._cashtags.setdefault(symbol.upper(), coin)
                if not rules.is_cashtag_only(symbol):
                    needs_context = case.exact_ticker_needs_context(symbol, coin.rank)
                    self._tickers.setdefault(symbol, (coin, needs_context))
                    if extended:
                        self._case_free.add(symbol, coin)
            if extended:
                for alias in aliases_for(coin.coin_id):
                    if parsed := name_keys(alias.text):
                        self._names.setdefault(parsed[0][-1], (coin, alias.ambiguous))
            parsed = None if rules.name_is_ticker(coin.name, symbol) else name_keys(coin.name)
            if parsed is None or len(parsed[0][-1]) < 2 or not rules.has_letter(parsed[0][-1]):
                continue
            keys, words = parsed
            if not rules.is_never_a_name(keys[-1], words):
                self._names.setdefault(
                    keys[-1], (coin, self._ambiguous_name(keys, words, coin.rank))
                )
                self._prefixes.update(keys[:-1])

    def _ambiguous_name(self, keys: list[str], words: tuple[str, ...], rank: int) -> bool:
        """Rule 5, plus: an ordinary word before a better-ranked coin's name ("First Bitcoin")."""
        if keys[-1] != " ".join(words):
            return False  # punctuation inside ("Fetch.ai") makes a name specific
        if rules.is_ambiguous_name(words, rank):
            return True
        first = keys[0]
        rest = keys[-1][len(first) + 1 :] if keys[-1][len(first) : len(first) + 1] == " " else ""
        return rules.is_ordinary_word(words[0]) and rest in self._names

    @classmethod
    def from_coins(
        cls, coins: Iterable[Mapping[str, object]], *, extended: bool = True
    ) -> "MentionMatcher":
        """Build from listing rows having at least id, symbol, name and rank."""
        return cls(
            (
                Coin(
                    str(c["id"]),
                    str(c["symbol"]),
                    str(c["name"]),
                    context.parse_rank(c.get("rank")),
                )
                for c in coins
            ),
            extended=extended,
        )

    def find(self, text: str | None) -> dict[str, int]:
        """Return coin id -> number of mentions of that coin in ``text``."""
        if not isinstance(text, str) or not text:  # also NaN from a pandas column
            return {}
        hits = self._scan(tokenize(text))
        return dict(Counter(hit.coin.coin_id for hit in hits))

    def find_in_post(self, title: str, body: str | None) -> list[Mention]:
        """Return the coins a post mentions in its title or body, best-ranked first."""
        in_title, in_body = self.find(title), self.find(body)
        coins = sorted((self._coins[i] for i in in_title.keys() | in_body.keys()), key=_order)
        return [
            Mention(
                c.coin_id, c.symbol, c.name, in_title.get(c.coin_id, 0), in_body.get(c.coin_id, 0)
            )
            for c in coins
        ]

    def _scan(self, tokens: Tokens) -> list[Hit]:
        """Left to right: cashtag, else the longest name that counts, else a ticker."""
        words, lowers, cashtag = tokens.words, tokens.lowers, tokens.cashtag
        present: Counter[str] | None = None  # words and upper-cased cashtags, built on demand
        hits: list[Hit] = []
        i = 0
        while i < len(words):
            if (
                cashtag[i]
                and (coin := self._cashtags.get(words[i].upper()))
                and rules.cashtag_case_ok(words[i], coin.symbol)
            ):
                hits.append(Hit(coin, i, i, confirmed=True, by_name=False))
                i += 1
                continue
            name = None
            if lowers[i] in self._names or lowers[i] in self._prefixes:
                for coin, end, ambiguous in self._names_at(tokens, i):
                    if case.lower_case_obscure_name(coin, words, i, end):
                        continue
                    if ambiguous:
                        if present is None:
                            present = Counter(
                                w.upper() if c else w for w, c in zip(words, cashtag, strict=True)
                            )
                        if not context.name_accepted(coin.symbol, i, end, words, present):
                            continue
                    name = (coin, end)
                    break
            ticker = None if cashtag[i] else self._tickers.get(words[i])
            if (
                ticker is None
                and lowers[i] in self._case_free.keys
                and not cashtag[i]
                and (free := self._case_free.find(tokens, i))
            ):
                ticker = (free, False)
            # A name beats a ticker on the same token unless the ticker is an unambiguous
            # ticker of a better-ranked coin.
            if name and (name[1] > i or not ticker or ticker[1] or name[0].rank <= ticker[0].rank):
                hits.append(Hit(name[0], i, name[1], confirmed=True, by_name=True))
                i = name[1] + 1
                continue
            if ticker:
                hits.append(Hit(ticker[0], i, i, confirmed=not ticker[1], by_name=False))
            i += 1
        if all(hit.confirmed for hit in hits):
            return hits
        return context.resolve_tickers(hits, words)

    def _names_at(self, tokens: Tokens, i: int) -> list[tuple[Coin, int, bool]]:
        """Names starting at token ``i``, longest first, as (coin, last token, ambiguous)."""
        key, j = tokens.lowers[i], i
        found: list[tuple[Coin, int, bool]] = []
        while True:
            if entry := self._names.get(key):
                found.append((entry[0], j, entry[1]))
            if key not in self._prefixes or j + 1 >= len(tokens.words) or tokens.cashtag[j + 1]:
                break
            joiner = tokens.joiner(j + 1)
            if joiner is None:
                break
            j += 1
            key = f"{key}{joiner}{tokens.lowers[j]}"
        found.reverse()
        return found


def _order(coin: Coin) -> tuple[int, str]:
    return coin.rank, coin.coin_id
