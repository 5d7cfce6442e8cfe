"""Price-movement and failure words stock VADER lacks, and the inflections of every crypto entry.

Valences are on VADER's -4..+4 scale, anchored on stock entries (quoted). Nouns and adjectives
get their plural; verbs also their -s/-ed/-ing forms, so "plunged", "shitcoins", "ponzis" and
"rugpulls" carry their base word's valence. A word stock VADER already rates keeps its stock
valence (``crash`` -1.7, ``hacked`` -1.7, ``collapse`` -2.2): only missing forms are added.
"""

from collections.abc import Collection, Mapping
from typing import Final

MOVEMENT_NOUNS: Final[dict[str, float]] = {
    "meltdown": -2.2,  # like stock "collapse" -2.2
    "bloodbath": -2.5,  # a market-wide rout; between "collapse" -2.2 and "bankrupt" -2.6
    "bubble": -1.0,  # prices detached from value: a warning rather than a loss
    "insolvent": -2.6,  # like stock "bankrupt" -2.6
    "insolvency": -2.6,  # like stock "bankrupt" -2.6
    "liquidation": -1.8,  # a forced sale at a loss, a notch under "liquidated" -2.0
    "recovery": 1.2,  # prices coming back; half of stock "gain" 2.4
    "rug": -2.7,  # short for rug pull ("got rugged"), like stock "scam" -2.7
    "outage": -1.7,  # an exchange or chain down, like stock "losses" -1.7
    "selloff": -1.6,  # a wave of selling, like stock "dump" -1.6
    "downturn": -1.6,  # like selloff
    "theft": -2.2,  # like stock "stolen" -2.2
}
MOVEMENT_VERBS: Final[dict[str, float]] = {
    "crash": -1.7,  # stock value, given to crashes/crashed/crashing
    "plunge": -1.8,  # a steep drop, a notch below "crash" -1.7
    "plummet": -2.0,  # the steepest drop, near "collapse" -2.2
    "tank": -1.8,  # "ETH tanked", like plunge (bare "tank"/"tanks" left out: fish, army)
    "bleed": -1.2,  # a slow steady loss, like stock "loss" -1.3
    "soar": 2.0,  # mirror of plummet, under "gain" 2.4
    "skyrocket": 2.2,  # the steepest rise, like wagmi 2.2
    "surge": 1.5,  # a strong rise, like stock "gains" 1.4
    "rally": 1.5,  # like surge
    "recover": 1.2,  # like recovery
    "rebound": 1.2,  # like recover
    "depeg": -2.2,  # a stablecoin losing its peg, like "collapse" -2.2
    "delist": -1.5,  # an exchange dropping a coin, between "drop" -1.1 and "dump" -1.6
    "liquidate": -2.0,  # like the crypto entry "liquidated" -2.0
    "exploit": -2.0,  # a hack draining funds, like stock "exploited" -2.0
    "hack": -1.7,  # like stock "hacked" -1.7
    "surpass": 1.2,  # crossing a mark ("supply surpasses $16B"), like recover
    "fine": -1.7,  # the penalty: "fined", "fines" (bare "fine" is excluded: stock 0.8, "okay")
}
# Forms whose everyday sense is not about prices.
EXCLUDED_FORMS: Final = frozenset({"tank", "tanks", "fine"})  # bare "fine": "okay"
# Crypto entries that are not nouns, so get no plural.
NO_PLURAL: Final = frozenset(
    {"ath", "atl", "insolvent", "fud", "hodl", "wagmi", "ngmi", "fomo", "rekt"}
)
# Past and -ing forms that the regular rule gets wrong.
IRREGULAR: Final[dict[str, tuple[str, str]]] = {
    "bleed": ("bled", "bleeding"),
    "depeg": ("depegged", "depegging"),
}


def _past_and_ing(verb: str) -> tuple[str, str]:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d", verb[:-1] + "ing"
    short_cvc = len(verb) <= 3 and verb[-1] in "bdgmnprt" and verb[-2] in "aeiou"
    stem = verb + verb[-1] if short_cvc else verb  # rug -> rugged
    return stem + "ed", stem + "ing"


def inflections(word: str, verb: bool = False) -> list[str]:
    """Return ``word`` and its plural, and for a verb also its -ed and -ing forms."""
    if word.endswith("y") and word[-2] not in "aeiou":
        forms = [word, word[:-1] + "ies"] + ([word[:-1] + "ied", word + "ing"] if verb else [])
    else:
        plural = word + ("es" if word.endswith(("s", "sh", "ch", "x")) else "s")
        forms = [word, plural, *(_past_and_ing(word) if verb else ())]
    return [form for form in forms if form not in EXCLUDED_FORMS]


def _is_noun(word: str) -> bool:
    return word not in NO_PLURAL and not word.endswith(("ed", "ing", "ish", "s", "over"))


def expand_lexicon(
    base: Mapping[str, float], stock: Collection[str] = frozenset()
) -> dict[str, float]:
    """Return ``base`` plus movement words and inflected forms absent from ``stock``."""
    entries: dict[str, float] = {}
    for words, verb in ((MOVEMENT_NOUNS, False), (MOVEMENT_VERBS, True)):
        for word, valence in words.items():
            entries.update({form: valence for form in inflections(word, verb)})
    for word, valence in base.items():
        if _is_noun(word):
            entries.update({form: valence for form in inflections(word)})
    entries = {form: valence for form, valence in entries.items() if form not in stock}
    return entries | dict(base)  # explicit entries (and their documented overrides) win
