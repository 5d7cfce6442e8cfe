"""Exactly-once delivery for alert sensors: a cursor holding progress, pending alerts, sent keys.

A sensor evaluates events after `after_id` (an event-log storage id), enqueues the alerts they
produce and tries to deliver everything pending. An alert that fails to send stays pending in
the cursor and is retried on the next tick; a sent alert's dedup key is remembered, so a
retried tick or a re-evaluated event never sends it twice. The cursor lives in the Dagster
instance, so a daemon restart sees it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from crypto_assets.alerts.message import Alert

REMEMBERED_KEYS = 2000  # dedup keys kept; far more than alerts sent between two ticks


class AlertDeliveryError(RuntimeError):
    """A transport could not deliver an alert (it stays pending)."""


class AlertTransport(Protocol):
    """Sends one alert or raises AlertDeliveryError."""

    def publish(self, alert: Alert) -> None:
        """Deliver `alert`."""


@dataclass
class AlertLedger:
    """The cursor of an alert sensor."""

    after_id: int | None = None
    pending: list[Alert] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)  # sensor-specific (e.g. stale or not)

    @classmethod
    def from_cursor(cls, cursor: str | None) -> AlertLedger:
        """Parse a cursor written by to_cursor (None or empty: a fresh ledger)."""
        if not cursor:
            return cls()
        data = json.loads(cursor)
        return cls(
            after_id=data.get("after_id"),
            pending=[Alert(**a) for a in data.get("pending", [])],
            sent=list(data.get("sent", [])),
            state=dict(data.get("state", {})),
        )

    def to_cursor(self) -> str:
        """Serialize for context.update_cursor."""
        return json.dumps(
            {
                "after_id": self.after_id,
                "pending": [asdict(a) for a in self.pending],
                "sent": self.sent[-REMEMBERED_KEYS:],
                "state": self.state,
            },
            sort_keys=True,
            default=str,
        )

    def enqueue(self, alerts: Iterable[Alert]) -> int:
        """Add alerts not sent or pending already; returns how many were added."""
        known = set(self.sent) | {a.dedup_key for a in self.pending}
        added = 0
        for alert in alerts:
            if alert.dedup_key not in known:
                self.pending.append(alert)
                known.add(alert.dedup_key)
                added += 1
        return added

    def deliver(self, transport: AlertTransport, log: logging.Logger | Any) -> list[Alert]:
        """Send every pending alert in order; returns those sent. Failures stay pending."""
        sent, still_pending = [], []
        for alert in self.pending:
            try:
                transport.publish(alert)
            except AlertDeliveryError as exc:
                log.warning(f"alert {alert.dedup_key} ({alert.rule}) not sent, will retry: {exc}")
                still_pending.append(alert)
                continue
            sent.append(alert)
            self.sent.append(alert.dedup_key)
        self.pending = still_pending
        self.sent = self.sent[-REMEMBERED_KEYS:]
        return sent
