"""The look-up tables a mention matcher builds once per listing (rules: ``mention_rules``).

Dictionaries from exact ticker, upper-case cashtag and lower-case name key to the best-ranked
coin, the name prefixes a scan extends through, the case-free tickers, and ``starts``: every
lower-case word at which a mention can begin, so a scan skips all other words with one set
look-up each (a word that only begins longer names also needs its next word to fit).
"""

import re
from collections.abc import Iterable
from typing import Final, NamedTuple

from crypto_assets.nlp.mentions import case, rules
from crypto_assets.nlp.mentions.aliases import aliases_for
from crypto_assets.nlp.mentions.context import Coin
from crypto_assets.nlp.mentions.text import Tokens, name_keys

_CAMEL_RE: Final = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "PancakeSwap" -> "Pancake Swap"
SPLIT_PART_MIN_LEN: Final = 3  # "Io Te X", "e Cash", "Ve Chain" are no names anyone writes


class NameEntry(NamedTuple):
    """A name key's coin, whether it needs context (rule 5), and a spelling it must have."""

    coin: Coin
    ambiguous: bool
    spelling: tuple[str, ...] | None = None  # words exactly as listed, or None: any case


class MentionIndex:
    """Tickers, cashtags, names and name prefixes of one listing, best-ranked coin first."""

    def __init__(self, coins: Iterable[Coin], *, extended: bool = True) -> None:
        """Index ``coins``; ``extended=False`` turns off case-free tickers, amounts, aliases,
        plurals and split names."""
        self.coins: dict[str, Coin] = {}
        self.tickers: dict[str, tuple[Coin, bool]] = {}  # exact symbol -> (coin, ambiguous)
        self.cashtags: dict[str, Coin] = {}  # upper-case symbol -> coin
        self.names: dict[str, NameEntry] = {}  # lower-case name key -> entry
        self.prefixes: set[str] = set()
        self.second_words: dict[str, set[str]] = {}  # first word of a longer name -> next words
        self.case_free = case.CaseFreeTickers()  # rule 2 extensions: "eth", "Uni", "2 sol"
        for coin in sorted(coins, key=lambda c: c.rank):  # best rank first; setdefault keeps it
            self.coins.setdefault(coin.coin_id, coin)
            symbol = coin.symbol.strip().removeprefix("$")
            if rules.single_token(symbol) and rules.has_letter(symbol):
                self.cashtags.setdefault(symbol.upper(), coin)
                if not rules.is_cashtag_only(symbol):
                    needs_context = case.exact_ticker_needs_context(symbol, coin.rank)
                    self.tickers.setdefault(symbol, (coin, needs_context))
                    if extended:
                        self.case_free.add(symbol, coin)
            if extended:
                for alias in aliases_for(coin.coin_id):
                    if parsed := name_keys(alias.text):
                        self._add(parsed[0], parsed[1], coin, alias.ambiguous)
            if rules.name_is_ticker(coin.name, symbol) or not (parsed := name_keys(coin.name)):
                continue
            keys, words = parsed
            if len(keys[-1]) < 2 or not rules.has_letter(keys[-1]):
                continue
            if not rules.is_never_a_name(keys[-1], words):
                ambiguous = self._ambiguous_name(keys, words, coin.rank)
                self._add(keys, words, coin, ambiguous)
                if extended and coin.rank <= rules.WELL_KNOWN_MAX_RANK:
                    self._add_variants(coin, keys, words, ambiguous)
        self.starts: frozenset[str] = frozenset({*self.names, *self.case_free.keys})
        self.ticker_words: frozenset[str] = frozenset(self.tickers)
        self.firsts: frozenset[str] = frozenset(self.second_words)

    def _add(
        self,
        keys: list[str],
        words: tuple[str, ...],
        coin: Coin,
        ambiguous: bool,
        spelling: tuple[str, ...] | None = None,
    ) -> None:
        self.names.setdefault(keys[-1], NameEntry(coin, ambiguous, spelling))
        self.prefixes.update(keys[:-1])
        if len(words) > 1:
            self.second_words.setdefault(words[0], set()).add(words[1])

    def _add_variants(
        self, coin: Coin, keys: list[str], words: tuple[str, ...], ambiguous: bool
    ) -> None:
        """Other spellings of a top-100 coin's one-word name that people write.

        The plural of a "-coin" name counts units of the coin ("two bitcoins", "my litecoins").
        A CamelCase name also counts split into its words when written with the listed capitals
        ("Pancake Swap", "Terra USD"; not "pancake swap"), with rule 5 on the split words.
        """
        if len(words) != 1 or ambiguous:
            return
        if keys[0].endswith("coin") and keys[0].isalpha():
            self._add([keys[0] + "s"], (keys[0] + "s",), coin, False)
        spelled = tuple(_CAMEL_RE.sub(" ", coin.name.strip()).split())
        if len(spelled) > 1 and all(len(part) >= SPLIT_PART_MIN_LEN for part in spelled):
            split = name_keys(" ".join(spelled))
            if split and len(split[1]) == len(spelled):
                split_ambiguous = rules.is_ambiguous_name(split[1], coin.rank)
                self._add(split[0], split[1], coin, split_ambiguous, spelled)

    def _ambiguous_name(self, keys: list[str], words: tuple[str, ...], rank: int) -> bool:
        """Rule 5, plus: an ordinary word before a better-ranked coin's name ("First Bitcoin"),
        and a one-word name that is an abbreviation ("holding an IOU for you")."""
        if keys[-1] != " ".join(words):
            return False  # punctuation inside ("Fetch.ai") makes a name specific
        if rules.is_ambiguous_name(words, rank):
            return True
        if len(words) == 1:
            return case.is_abbreviation(keys[0])
        return rules.is_ordinary_word(words[0]) and " ".join(words[1:]) in self.names

    def candidates(self, tokens: Tokens) -> list[int]:
        """Indexes of the tokens at which a mention can begin: one set look-up per token.

        The text's distinct words are first matched against the index with set operations: a
        word that only begins longer names is kept when one of its next words is in the text
        too, a ticker when it is written as listed, and a word starting with a digit may be an
        amount glued to a ticker ("1btc").
        """
        lowers = tokens.lowers
        present = set(lowers)
        wanted = present.intersection(self.starts)
        # Tickers count as written: "all" is a candidate only when "ALL" is in the text too.
        wanted.update(w.lower() for w in self.ticker_words.intersection(tokens.words))
        for first in present.intersection(self.firsts):
            if not self.second_words[first].isdisjoint(present):
                wanted.add(first)
        wanted.update(w for w in present if w < ":" and w[-1] > "9")
        if tokens.has_cashtag:
            pairs = zip(lowers, tokens.cashtag, strict=True)
            return [i for i, (w, tag) in enumerate(pairs) if tag or w in wanted]
        if not wanted:
            return []
        return [i for i, w in enumerate(lowers) if w in wanted]
