"""Rule 2 extensions: tickers that also count in lower or mixed case, or after an amount.

A ticker's lower-case form is free to match only when it is nothing else a post could mean: not
an English word (SCOWL, ``common_english_words.txt`` and the larger sizes in
``mention_case_words.txt``), not an abbreviation (SCOWL's abbreviation lists) and not chat slang
(``chat_slang.txt``, from the MIT-licensed abbrfix package). Only well-ranked coins qualify: a
lower-case string that happens to be the ticker of coin #3,000 is noise, not a mention.
"""

import functools
import re
from enum import IntEnum
from importlib.resources import files
from typing import Final

from crypto_assets.nlp.mentions import rules
from crypto_assets.nlp.mentions.context import Coin
from crypto_assets.nlp.mentions.text import Tokens
from crypto_assets.nlp.mentions.words import NETWORK_WORDS, words

CASE_FREE_MAX_RANK: Final = rules.WELL_KNOWN_MAX_RANK
CASE_FREE_MIN_LEN: Final = 3
CASE_FREE_MAX_LEN: Final = 6  # mention_case_words.txt keeps words of 3-6 letters only
# Clippings of longer words (Wiktionary, "Category:English clippings") that SCOWL lacks.
CLIPPINGS: Final = words("algo algos arb arbs bot bots comp comps crypto dev devs info stat stats")
# Units written after numbers (NIST SP 811 symbols, time units and their informal plurals), so
# "2 min" or "5 hrs" is never an amount of a coin.
UNITS: Final = words(
    """s sec secs min mins h hr hrs d yr yrs wk wks mo mos ms kg g lb lbs oz km m mi ft
    kb mb gb tb kw kwh mw gw th pm am usd eur gbp pts pct x k bn mil"""
)
CASE_WORDS_FILE: Final = "mention_case_words.txt"
SLANG_FILE: Final = "chat_slang.txt"
_AMOUNT_RE: Final = re.compile(r"\d+[kmb]?", re.IGNORECASE)
_GLUED_RE: Final = re.compile(r"\d+([^\W\d_]+)")  # "1btc", "32eth": lower-case tokens


class CaseTier(IntEnum):
    """How freely a ticker's case may vary."""

    EXACT = 0  # only as listed
    TITLE = 1  # also "Uni" (not at a sentence start): its lower case is a rare English word
    ANY = 2  # also "eth", "Eth": its lower case means nothing else


@functools.cache
def _sections(name: str) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {"": set()}
    current = ""
    for line in files(__package__).joinpath(name).read_text(encoding="utf-8").splitlines():
        if line.startswith("section "):
            current = line.removeprefix("section ")
            sections.setdefault(current, set())
        elif line and not line.startswith("#"):
            sections[current].add(line)
    return {key: frozenset(words) for key, words in sections.items()}


def _other_meaning(lower: str) -> bool:
    """True when a lower-case token is an abbreviation, slang, clipping, unit or jargon."""
    return (
        lower in _sections(CASE_WORDS_FILE)["abbreviations"]
        or lower in _sections(SLANG_FILE)[""]
        or lower in CLIPPINGS
        or lower in UNITS
        or lower in rules.CRYPTO_JARGON
    )


def case_tier(symbol: str, rank: int) -> CaseTier:
    """Return how freely the case of a (non-cashtag-only) ticker may vary."""
    lower = symbol.lower()
    if (
        rank > CASE_FREE_MAX_RANK
        or not CASE_FREE_MIN_LEN <= len(symbol) <= CASE_FREE_MAX_LEN
        or rules.is_cashtag_only(symbol)
        or lower in rules.common_english_words(rules.NAME_WORD_MAX_LEVEL)
        or _other_meaning(lower)
    ):
        return CaseTier.EXACT
    if lower in _sections(CASE_WORDS_FILE)["rare"]:
        return CaseTier.TITLE
    return CaseTier.ANY


def exact_ticker_needs_context(symbol: str, rank: int) -> bool:
    """Rule 4: a ticker written as listed that still needs the name, a cashtag or context.

    Common English words need it for every coin. Beyond the top ``CASE_FREE_MAX_RANK`` coins
    every ticker needs it: a bare upper-case string such as DTC, BCG, LST or COM is far more
    often some other acronym than coin #3,000.
    """
    return rank > CASE_FREE_MAX_RANK or rules.is_ambiguous_ticker(symbol)


def lower_case_obscure_name(coin: Coin, words: list[str], first: int, last: int) -> bool:
    """True when a name beyond the top coins, listed with capitals, is written all lower-case.

    Proper names are capitalised; "counterparty risk", "the whole network" or "battle-royale"
    in lower case are the ordinary words, not coin #400 or #2,300. Names listed in lower case
    ("0x") count as listed.
    """
    return (
        coin.rank > CASE_FREE_MAX_RANK
        and not coin.name.islower()
        and all(word.islower() or not rules.has_letter(word) for word in words[first : last + 1])
    )


def is_abbreviation(lower: str) -> bool:
    """True when a lower-case word is an abbreviation in SCOWL's lists ("iou", "etc", "asap")."""
    return lower in _sections(CASE_WORDS_FILE)["abbreviations"]


def counts_after_amount(symbol: str, rank: int) -> bool:
    """True when the ticker counts in any case right after an amount ("2 sol", "0.5 Eth")."""
    lower = symbol.lower()
    return (
        rank <= CASE_FREE_MAX_RANK
        and len(symbol) >= CASE_FREE_MIN_LEN
        and not rules.is_cashtag_only(symbol)
        and lower not in rules.common_english_words(rules.TICKER_WORD_MAX_LEVEL)
        and lower not in UNITS
        and lower not in _sections(SLANG_FILE)[""]
    )


def is_amount(word: str) -> bool:
    """True for a number token, optionally with a k/m/b suffix ("2", "5k", "10M")."""
    return _AMOUNT_RE.fullmatch(word) is not None


def amount_before(tokens: Tokens, i: int) -> bool:
    """True when token i follows an amount or a network: "2 sol", "$5k of avax", "devnet SOL".

    A devnet, testnet or mainnet qualifies a coin's ticker the way an amount does.
    """
    previous = tokens.words[i - 1] if i >= 1 and tokens.spaced(i) else ""
    if previous and (is_amount(previous) or previous.lower() in NETWORK_WORDS):
        return True
    return (
        i >= 2
        and tokens.lowers[i - 1] == "of"
        and tokens.spaced(i)
        and tokens.spaced(i - 1)
        and is_amount(tokens.words[i - 2])
    )


class CaseFreeTickers:
    """Lower-case tickers of one listing that count in other cases, by tier, best rank first."""

    def __init__(self) -> None:
        self._any_case: dict[str, Coin] = {}  # lower-case ticker -> coin, any case counts
        self._title_case: dict[str, Coin] = {}  # lower-case ticker -> coin, "Uni" counts
        self._after_amount: dict[str, Coin] = {}  # lower-case ticker -> coin, "2 sol" counts
        self.keys: set[str] = set()  # keys of the three dicts above, one look-up

    def add(self, symbol: str, coin: Coin) -> None:
        """Index a ticker (coins are added best-ranked first; the first coin keeps a key)."""
        lower = symbol.lower()
        tier = case_tier(symbol, coin.rank)
        if tier == CaseTier.ANY:
            self._any_case.setdefault(lower, coin)
        elif tier == CaseTier.TITLE:
            self._title_case.setdefault(lower, coin)
        if counts_after_amount(symbol, coin.rank):
            self._after_amount.setdefault(lower, coin)
        if lower in self._any_case or lower in self._title_case or lower in self._after_amount:
            self.keys.add(lower)

    def find(self, tokens: Tokens, i: int) -> Coin | None:
        """The coin token i names in another case: "eth", "Uni" mid-sentence, "2 sol"."""
        lower = tokens.lowers[i]
        if coin := self._any_case.get(lower):
            return coin
        word = tokens.words[i]
        title = word[0].isupper() and word[1:].islower()
        if (coin := self._title_case.get(lower)) and title and not tokens.sentence_start(i):
            return coin
        if (coin := self._after_amount.get(lower)) and amount_before(tokens, i):
            return coin
        return None

    def glued(self, lower: str) -> Coin | None:
        """The coin of an amount written without a space before its ticker: "1btc", "32ETH"."""
        match = _GLUED_RE.fullmatch(lower)
        return self._after_amount.get(match[1]) if match else None


def data_files() -> tuple[str, ...]:
    """The shipped word lists these rules read (for the rules version hash)."""
    return (CASE_WORDS_FILE, SLANG_FILE)
