"""Curated aliases: other names people use for a listed coin, keyed by Coinlore coin id.

An alias is matched like a coin name (any case, whole words, longest name wins) and only for the
coin with that id, so a listing without the coin ignores it. Ambiguity rules (``mention_rules``
rule 5) apply to aliases marked ambiguous: "Ripple" is also the company, so it counts only with
XRP in the text or capitalised next to a coin word ("Ripple token"), never for "Ripple Labs".
Units in the plural (``sats``, ``satoshis``) are BTC; "Satoshi" alone is the person.
"""

from typing import Final, NamedTuple


class Alias(NamedTuple):
    """One alias of a coin: its text and whether it needs the ambiguous-name context."""

    text: str
    ambiguous: bool = False


# Coinlore ids (stable across listings): 90 BTC, 80 ETH, 33536 MATIC (Polygon), 2713 TRX,
# 48555 HBAR, 54683 TON (TON Coin), 33234 BCHSV (Bitcoin SV), 58 XRP, 48581 CRV (Curve DAO
# Token: the protocol is "Curve", also an ordinary word, so it needs rule 5's context).
ALIASES: Final[dict[str, tuple[Alias, ...]]] = {
    "90": (Alias("sats"), Alias("satoshis")),
    "80": (Alias("Ether"),),
    "33536": (Alias("Polygon"),),
    "2713": (Alias("Tron"),),
    "48555": (Alias("Hedera"),),
    "54683": (Alias("Toncoin"),),
    "33234": (Alias("BSV"),),
    "58": (Alias("Ripple", ambiguous=True),),
    "48581": (Alias("Curve", ambiguous=True),),
}


def aliases_for(coin_id: str) -> tuple[Alias, ...]:
    """Return the curated aliases of the coin with Coinlore id ``coin_id`` (often none)."""
    return ALIASES.get(coin_id, ())


def alias_table_text() -> str:
    """Return the alias table as stable text, for the rules version hash."""
    return "\n".join(f"{cid} {a.text} {a.ambiguous}" for cid, als in ALIASES.items() for a in als)
