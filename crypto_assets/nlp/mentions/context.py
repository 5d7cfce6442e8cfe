"""Context checks that decide whether an ambiguous name or ticker is a coin mention.

Rules 4, 5 and 9 of ``mention_rules``: an ambiguous name is decided on the spot (its ticker
elsewhere in the text, or capitalisation plus a coin word after it); an ambiguous ticker is
decided after the scan, because a confirmed mention later in the text can be its context; an
issuer's name followed by a corporate word is the company.
"""

from dataclasses import dataclass

from crypto_assets.nlp.mentions import rules
from crypto_assets.nlp.mentions.words import (
    CORPORATE_WORDS,
    CRYPTO_CONTEXT_WORDS,
    NAME_CONTEXT_WORDS,
)


@dataclass(frozen=True, slots=True)
class Coin:
    """The listing fields mention matching uses."""

    coin_id: str
    symbol: str
    name: str
    rank: int


UNRANKED = 10**9


def parse_rank(value: object) -> int:
    """A listing's rank as an int; unranked (last) when missing or not a number."""
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return UNRANKED


@dataclass(frozen=True, slots=True)
class Hit:
    """A coin matched on tokens ``first``..``last`` of a text."""

    coin: Coin
    first: int
    last: int
    confirmed: bool  # False: an ambiguous ticker still waiting for context
    by_name: bool


def _window(first: int, last: int, count: int) -> list[int]:
    before = range(max(0, first - rules.CONTEXT_WINDOW), first)
    return [*before, *_after(last, count)]


def _after(last: int, count: int) -> range:
    return range(last + 1, min(count, last + 1 + rules.CONTEXT_WINDOW))


def _shouting(neighbours: list[str]) -> bool:
    """True when most neighbouring words (2+ characters, with letters) are in upper case.

    One-letter words ("I", "A") are upper case in ordinary text and say nothing.
    """
    lettered = [word for word in neighbours if len(word) > 1 and rules.has_letter(word)]
    return 2 * sum(word.isupper() for word in lettered) > len(lettered)


def _capitalised(neighbours: list[str]) -> bool:
    """True when most neighbouring words (2+ characters, with letters) start upper-case.

    In a Title Case headline ("A Faster Zero Knowledge Protocol") or an ALL-CAPS stretch the
    capitals of an ordinary-word name say nothing.
    """
    lettered = [word for word in neighbours if len(word) > 1 and rules.has_letter(word)]
    return 2 * sum(word[0].isupper() for word in lettered) > len(lettered)


def name_accepted(symbol: str, first: int, last: int, words: list[str], present: set[str]) -> bool:
    """Rule 5: does an ambiguous name on tokens first..last count as a mention?"""
    symbol = symbol.removeprefix("$")
    span = words[first : last + 1]
    # The ticker confirms the name only as a different word ("know" and "KNOW" prove nothing),
    # and a cashtag-only ticker only as a cashtag ("LN" is the Lightning Network, not "Link").
    bare = symbol in present and not rules.is_cashtag_only(symbol)
    if (bare or f"${symbol.upper()}" in present) and symbol.lower() not in (
        word.lower() for word in span
    ):
        return True
    if not all(word[0].isupper() or word[0].isdigit() for word in span):
        return False
    if _capitalised([words[k] for k in _window(first, last, len(words))]):
        return False
    # The coin word must follow: a head noun follows its modifier ("Flow token", "Curve-like
    # protocols"); one before belongs to the clause before ("volatile tokens in particular
    # Ultra", "Meme Coin Waves").
    return any(words[k].lower() in NAME_CONTEXT_WORDS for k in _after(last, len(words)))


def company_sense(lowers: list[str], i: int, corporate: frozenset[str] = CORPORATE_WORDS) -> bool:
    """True when token ``i`` is followed by a ``corporate`` word (``CORPORATE_WORDS``).

    For an issuer's name (``ISSUER_NAMES``) "Tether launches", "Tether's CEO", "Ripple Labs",
    "Nexo Inc" name the company, not the coin (labelling rule 3); a possessive "s" is skipped.
    """
    k = i + 1
    if k < len(lowers) and lowers[k] == "s":
        k += 1
    return k < len(lowers) and lowers[k] in corporate


def resolve_tickers(hits: list[Hit], words: list[str]) -> list[Hit]:
    """Rule 4: keep confirmed hits and the ambiguous tickers that have crypto context.

    Tickers of coins ranked beyond ``CONTEXT_TICKER_MAX_RANK`` get no help from context: written
    bare they far more often name another project, a firm or an acronym than the small coin
    (Hyperliquid's HYPE vs a small "HYPE", "ORE", "ARK Invest"), so only a cashtag or the
    coin's name confirms them.
    """
    confirmed_at = [False] * len(words)
    for hit in hits:
        if hit.confirmed:
            confirmed_at[hit.first : hit.last + 1] = [True] * (hit.last - hit.first + 1)
    named = {hit.coin.coin_id for hit in hits if hit.by_name}
    kept = []
    for hit in hits:
        if hit.confirmed or hit.coin.coin_id in named:
            kept.append(hit)
            continue
        if hit.coin.rank > rules.CONTEXT_TICKER_MAX_RANK:
            continue
        window = _window(hit.first, hit.last, len(words))
        if _shouting([words[k] for k in window if not confirmed_at[k]]):
            continue  # upper case says nothing inside an ALL-CAPS stretch
        if any(confirmed_at[k] or words[k].lower() in CRYPTO_CONTEXT_WORDS for k in window):
            kept.append(hit)
    return kept
