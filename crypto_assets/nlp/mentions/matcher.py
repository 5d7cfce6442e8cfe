"""Find which listed coins a text mentions, in one pass per text (rules: ``mention_rules``).

A matcher is built once per listing (``mention_index``). A text is tokenised by one regex split;
the scan visits only the words at which a mention can begin (one set look-up per word), and at
each the longest name is found by extending the key word by word only while it is a known name
prefix, so the cost grows with the text, not with the number of coins.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

from crypto_assets.nlp.mentions import case, context, rules
from crypto_assets.nlp.mentions.aliases import alias_table_text
from crypto_assets.nlp.mentions.context import Coin, Hit
from crypto_assets.nlp.mentions.index import MentionIndex, NameEntry
from crypto_assets.nlp.mentions.text import Tokens, tokenize
from crypto_assets.nlp.mentions.words import BRAND_WORDS, FIRM_WORDS, ISSUER_NAMES

_RULE_FILES: Final = (
    "matcher.py", "index.py", "rules.py", "case.py",
    "context.py", "text.py", "aliases.py", "words.py",
    rules._WORDS_FILE,
    *case.data_files(),
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
        self._index = MentionIndex(coins, extended=extended)

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
        return dict(Counter(hit.coin.coin_id for hit in hits)) if hits else {}

    def find_in_post(self, title: str, body: str | None) -> list[Mention]:
        """Return the coins a post mentions in its title or body, best-ranked first."""
        in_title, in_body = self.find(title), self.find(body)
        coins = self._index.coins
        found = sorted((coins[i] for i in in_title.keys() | in_body.keys()), key=_order)
        return [
            Mention(
                c.coin_id, c.symbol, c.name, in_title.get(c.coin_id, 0), in_body.get(c.coin_id, 0)
            )
            for c in found
        ]

    def _scan(self, tokens: Tokens) -> list[Hit]:
        """Left to right: cashtag, else the longest name that counts, else a ticker."""
        index = self._index
        words, lowers, cashtag = tokens.words, tokens.lowers, tokens.cashtag
        hits: list[Hit] = []
        after = 0  # first token not yet inside a name
        for i in index.candidates(tokens):
            if i < after:
                continue
            if (
                cashtag[i]
                and (coin := index.cashtags.get(words[i].upper()))
                and rules.cashtag_case_ok(words[i], coin.symbol)
            ):
                hits.append(Hit(coin, i, i, confirmed=True, by_name=False))
                continue
            name = None
            lower = lowers[i]
            if lower in ISSUER_NAMES and context.company_sense(lowers, i):
                continue  # "Tether launches", "Nexo Inc": the company, neither name nor ticker
            if lower in index.names or (
                i + 1 < len(words) and lowers[i + 1] in index.second_words.get(lower, ())
            ):
                name = self._name_at(tokens, i)
            ticker = None if cashtag[i] else index.tickers.get(words[i])
            if ticker is None and not cashtag[i] and (lower in index.case_free.keys or lower < ":"):
                ticker = self._other_ticker(tokens, i)
            # A name beats a ticker on the same token unless the ticker is an unambiguous
            # ticker of a better-ranked coin.
            if name and (name[1] > i or not ticker or ticker[1] or name[0].rank <= ticker[0].rank):
                hits.append(Hit(name[0], i, name[1], confirmed=True, by_name=True))
                after = name[1] + 1
                continue
            if ticker:
                hits.append(Hit(ticker[0], i, i, confirmed=not ticker[1], by_name=False))
        if all(hit.confirmed for hit in hits):
            return hits
        return context.resolve_tickers(hits, words)

    def _name_at(self, tokens: Tokens, i: int) -> tuple[Coin, int] | None:
        """The longest name at token ``i`` that counts, as (coin, last token)."""
        words = tokens.words
        for entry, end in self._names_at(tokens, i):
            coin = entry.coin
            if entry.spelling and tuple(words[i : end + 1]) != entry.spelling:
                continue  # a split name counts only as listed: "Pancake Swap"
            if case.lower_case_obscure_name(coin, words, i, end):
                continue
            if coin.rank > rules.WELL_KNOWN_MAX_RANK and (
                (tokens.spaced(i) and tokens.lowers[i - 1] in BRAND_WORDS)
                or context.company_sense(tokens.lowers, end, FIRM_WORDS)
            ):
                continue  # "Ledger Nano", "Multicoin Capital": a brand's product, a firm
            if entry.ambiguous and not context.name_accepted(
                coin.symbol, i, end, words, tokens.present()
            ):
                continue
            return coin, end
        return None

    def _other_ticker(self, tokens: Tokens, i: int) -> tuple[Coin, bool] | None:
        """A ticker on token ``i`` in another case, after an amount, or glued to one ("1btc")."""
        case_free, lower = self._index.case_free, tokens.lowers[i]
        coin = case_free.find(tokens, i) if lower in case_free.keys else case_free.glued(lower)
        return (coin, False) if coin else None

    def _names_at(self, tokens: Tokens, i: int) -> list[tuple[NameEntry, int]]:
        """Names starting at token ``i``, longest first, as (entry, last token)."""
        names, prefixes = self._index.names, self._index.prefixes
        key, j = tokens.lowers[i], i
        found: list[tuple[NameEntry, int]] = []
        while True:
            if entry := names.get(key):
                found.append((entry, j))
            if key not in prefixes or j + 1 >= len(tokens.words) or tokens.cashtag[j + 1]:
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
