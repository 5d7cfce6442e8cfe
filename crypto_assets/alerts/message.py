"""The alert message both transports carry: subject, plain-text body, attributes, dedup key."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("INFO", "WARNING", "CRITICAL")
MAX_SUBJECT = 99  # SNS wants subjects shorter than 100 characters


@dataclass(frozen=True)
class Alert:
    """One alert: what happened, where, the numbers behind it and a link to look."""

    rule: str
    severity: str
    subject: str
    body: str
    dedup_key: str
    window: str | None = None
    symbol: str | None = None
    link: str | None = None
    numbers: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")
        if len(self.subject) > MAX_SUBJECT:
            object.__setattr__(self, "subject", self.subject[: MAX_SUBJECT - 1] + "…")

    def attributes(self) -> dict[str, str]:
        """Message attributes for SNS subscription filter policies."""
        values = {"rule": self.rule, "severity": self.severity, "dedup_key": self.dedup_key}
        if self.symbol:
            values["symbol"] = self.symbol
        if self.window:
            values["window"] = self.window
        return values

    def full_text(self) -> str:
        """The body with the link appended, as a person reads it."""
        return f"{self.body}\n\n{self.link}" if self.link else self.body

    def to_json(self) -> str:
        """One JSON line (the outbox format)."""
        return json.dumps(asdict(self), sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> Alert:
        """The inverse of to_json."""
        return cls(**json.loads(text))


def dedup_key(*parts: object) -> str:
    """A deterministic key from the parts that make an alert the same alert (rule, window, …)."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
