"""Tokenisation shared by coin names and post texts, so both are cut into words the same way.

A text is scanned once by one compiled regex. A multi-word name may only span gaps between
tokens that read the same as in the listed name, so "Bitcoin Cash" matches "bitcoin  cash"
but not "Bitcoin, Cash", and "Fetch.ai" matches "fetch.ai" but not "fetch ai".
"""

import re
from typing import Final, NamedTuple

# Skipped spans (URLs, r/ and u/ references, identifiers joined by "_" or Markdown's "\_"
# such as handles "0x_febo" or "PredX\_AI") or a word, optionally a $cashtag.
_TOKEN_RE: Final = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|(?<![\w/])/?[ru]/\w+)"
    r"|(?P<word>\$?[^\W_]+)(?P<ident>(?:\\?_+[^\W_]+)+)?"
)
# Qualifiers in listed names that people do not write: "Internet Computer (IOU)", "Tixl [NEW]".
_QUALIFIER_RE: Final = re.compile(r"\s*[(\[][^)\]]*[)\]]")


class Tokens(NamedTuple):
    """Word tokens of a text: the words (without "$"), lower-cased, cashtag flags, spans."""

    text: str
    words: list[str]
    lowers: list[str]
    cashtag: list[bool]
    starts: list[int]
    ends: list[int]  # ends[k] < 0: a skipped span follows token k, so no name spans past it

    def joiner(self, k: int) -> str | None:
        """How token k is joined to token k-1 inside a name key; None if no name spans it."""
        if k == 0 or self.ends[k - 1] < 0:
            return None
        gap = self.text[self.ends[k - 1] : self.starts[k]]
        if not gap:
            return None
        return " " if gap.isspace() else gap.strip()

    def sentence_start(self, k: int) -> bool:
        """True when token k opens the text or follows ".", "!", "?", a newline or a skip."""
        if k == 0 or self.ends[k - 1] < 0:
            return True
        gap = self.text[self.ends[k - 1] : self.starts[k]]
        return any(ch in ".!?:\n*#>" for ch in gap)

    def spaced(self, k: int) -> bool:
        """True when token k follows token k-1 across whitespace only."""
        if k == 0 or self.ends[k - 1] < 0:
            return False
        gap = self.text[self.ends[k - 1] : self.starts[k]]
        return gap.isspace() and bool(gap)


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens with one regex pass."""
    words: list[str] = []
    cashtag: list[bool] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN_RE.finditer(text):
        if match.lastgroup != "word":  # a skipped span or an identifier
            if ends:
                ends[-1] = -1
            continue
        word = match.group("word")
        is_cashtag = word[0] == "$"
        words.append(word[1:] if is_cashtag else word)
        cashtag.append(is_cashtag)
        starts.append(match.start())
        ends.append(match.end())
    return Tokens(text, words, [word.lower() for word in words], cashtag, starts, ends)


def name_keys(name: str) -> tuple[list[str], tuple[str, ...]] | None:
    """Return a name's lower-case lookup keys for its first 1..n words, and its words.

    The last key is the whole name; the others are the prefixes a text scan extends through.
    None when the name cannot be matched as text (no word, or a cashtag inside).
    """
    tokens = tokenize(_QUALIFIER_RE.sub("", name))
    if not tokens.words or any(tokens.cashtag[1:]):
        return None
    keys = [tokens.lowers[0]]
    for k in range(1, len(tokens.words)):
        joiner = tokens.joiner(k)
        if joiner is None:
            return None
        keys.append(f"{keys[-1]}{joiner}{tokens.lowers[k]}")
    return keys, tuple(tokens.lowers)
