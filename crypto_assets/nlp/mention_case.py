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

from crypto_assets.nlp import mention_rules as rules
from crypto_assets.nlp.mention_text import Tokens

CASE_FREE_MAX_RANK: Final = 100
CASE_FREE_MIN_LEN: Final = 3
CASE_FREE_MAX_LEN: Final = 6  # mention_case_words.txt keeps words of 3-6 letters only
# Clippings of longer words (Wiktionary, "Category:English clippings") that SCOWL lacks.
CLIPPINGS: Final = rules._words("algo algos arb arbs bot bots crypto dev devs info stat stats")
# Units written after numbers (NIST SP 811 symbols, time units and their informal plurals), so
# "2 min" or "5 hrs" is never an amount of a coin.
UNITS: Final = rules._words(
    """s sec secs min mins h hr hrs d yr yrs wk wks mo mos ms kg g lb lbs oz km m mi ft
    kb mb gb tb kw kwh mw gw th pm am usd eur gbp pts pct x k bn mil"""
)
CASE_WORDS_FILE: Final = "mention_case_words.txt"
SLANG_FILE: Final = "chat_slang.txt"
_AMOUNT_RE: Final = re.compile(r"\d+[kmb]?", re.IGNORECASE)


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
    """True when token i follows an amount: "2 sol", "0.5 Eth", "$5k of avax"."""
    if i >= 1 and tokens.spaced(i) and is_amount(tokens.words[i - 1]):
        return True
    return (
        i >= 2
        and tokens.lowers[i - 1] == "of"
        and tokens.spaced(i)
        and tokens.spaced(i - 1)
        and is_amount(tokens.words[i - 2])
    )


def data_files() -> tuple[str, ...]:
    """The shipped word lists these rules read (for the rules version hash)."""
    return (CASE_WORDS_FILE, SLANG_FILE)
