"""Tokenisation shared by coin names and post texts, so both are cut into words the same way.

A text is cut by one ``re.split`` call with a compiled regex, which returns the words and the gaps
between them as plain strings without a Python step per match. A multi-word name may only span
gaps between tokens that read the same as in the listed name, so "Bitcoin Cash" matches
"bitcoin  cash" but not "Bitcoin, Cash", and "Fetch.ai" matches "fetch.ai" but not "fetch ai".
"""

import re
from dataclasses import dataclass
from typing import Final

# Skipped spans (URLs, r/ and u/ references not inside a path), or a word, optionally a $cashtag.
# A word joined to more by "_" or Markdown's "\_" is an identifier (handles such as "0x_febo" or
# "PredX\_AI", snake_case) and is skipped too. Every branch starts with a character, not a
# look-behind, so the regex engine skips the gaps between words fast. re.split returns
# [gap, skip, word, gap, skip, word, ..., gap]; a skipped span has no word (None).
_SPLIT_RE: Final = re.compile(
    r"(https?://\S+|www\.\S+|/(?<![\w/]/)[ru]/\w+|[ru](?<![\w/][ru])/\w+)"
    r"|(\$?[^\W_]+(?:\\?_+[^\W_]+)*)"
)
# Qualifiers in listed names that people do not write: "Internet Computer (IOU)", "Tixl [NEW]".
_QUALIFIER_RE: Final = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_SENTENCE_MARKS: Final = frozenset(".!?:\n*#>")


@dataclass(slots=True)
class Tokens:
    """Word tokens of a text: the words (without "$"), lower-cased, cashtag flags and gaps."""

    words: list[str]
    lowers: list[str]
    cashtag: list[bool]
    has_cashtag: bool
    gaps: list[str | None]  # text before token k; None: first token, or a skipped span before
    _present: set[str] | None = None

    def present(self) -> set[str]:
        """The words, cashtags as "$" + upper case ("$eth" -> "$ETH"); built on first use."""
        if self._present is None:
            if self.has_cashtag:
                pairs = zip(self.words, self.cashtag, strict=True)
                self._present = {"$" + w.upper() if tag else w for w, tag in pairs}
            else:
                self._present = set(self.words)
        return self._present

    def joiner(self, k: int) -> str | None:
        """How token k is joined to token k-1 inside a name key; None if no name spans it."""
        gap = self.gaps[k]
        if not gap:
            return None
        return " " if gap.isspace() else gap.strip()

    def sentence_start(self, k: int) -> bool:
        """True when token k opens the text or follows ".", "!", "?", a newline or a skip."""
        gap = self.gaps[k]
        return gap is None or not _SENTENCE_MARKS.isdisjoint(gap)

    def spaced(self, k: int) -> bool:
        """True when token k follows token k-1 across whitespace only."""
        gap = self.gaps[k]
        return gap is not None and gap.isspace()


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens with one regex pass."""
    parts = _SPLIT_RE.split(text)
    raw: list[str] = parts[2::3]
    gaps: list[str | None] = parts[:-1:3]
    if not raw:
        return Tokens([], [], [], False, [])
    gaps[0] = None
    if (("/" in text or "www." in text) and None in raw) or (
        "_" in text and any("_" in w for w in raw if w)
    ):
        # Drop skipped spans and identifiers; no name spans them, and what follows starts anew.
        for k in reversed([k for k, w in enumerate(raw) if w is None or "_" in w]):
            if k + 1 < len(raw):
                gaps[k + 1] = None
            del raw[k], gaps[k]
        if not raw:
            return Tokens([], [], [], False, [])
    if "$" in text:
        cashtag = [w[0] == "$" for w in raw]
        words = [w[1:] if tag else w for w, tag in zip(raw, cashtag, strict=True)]
        has_cashtag = True in cashtag
    else:
        cashtag, words, has_cashtag = [False] * len(raw), raw, False
    # One lower() call for all words: "\0" never occurs in a word.
    return Tokens(words, "\0".join(words).lower().split("\0"), cashtag, has_cashtag, gaps)


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
