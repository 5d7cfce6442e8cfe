"""Alert transports: an SNS topic when one is configured, else an outbox file plus a log line.

Alert sensors take the transport as the `alerts` resource (`AlertTransportResource`) and end
each tick with `deliver_tick`, which sends the ledger's pending alerts and saves the cursor.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from dagster import ConfigurableResource, SensorEvaluationContext, SkipReason, get_dagster_logger
from dagster_aws.utils import ResourceWithBoto3Configuration
from pydantic import Field

from crypto_assets.alerts.ledger import AlertDeliveryError, AlertLedger, AlertTransport
from crypto_assets.alerts.message import MAX_SUBJECT, Alert
from crypto_assets.environment import ConfigurationError, Settings
from crypto_assets.environment_checks import SNS_ARN_RE

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_log = get_dagster_logger("crypto_assets.alerts")


class AlertTransportResource(ConfigurableResource):
    """The `alerts` resource: delivers one alert or raises AlertDeliveryError."""

    def publish(self, alert: Alert) -> None:
        """Deliver `alert`."""
        raise NotImplementedError


class SnsAlertTransport(ResourceWithBoto3Configuration, AlertTransportResource):
    """Publishes to an SNS topic; attributes let subscription filter policies pick alerts."""

    topic_arn: str = Field(description="Alert topic (CRYPTO_ALERTS_SNS_TOPIC_ARN)")
    max_attempts: int = Field(default=3, description="Attempts per publish, the first included")
    connect_timeout_s: float = Field(default=3.0, description="Seconds to open a connection")
    read_timeout_s: float = Field(default=10.0, description="Seconds to wait for SNS's answer")

    def publish(self, alert: Alert) -> None:
        """Publish `alert`; AlertDeliveryError after bounded retries."""
        try:
            response = self._client().publish(**sns_request(self.topic_arn, alert))
        except (BotoCoreError, ClientError) as exc:
            # botocore's messages name the endpoint and the AWS error code, never credentials.
            raise AlertDeliveryError(
                f"SNS publish to {self.topic_arn} failed: {type(exc).__name__}: {exc}"
            ) from exc
        _log.info(
            f"alert {alert.dedup_key} ({alert.rule}, {alert.severity}) published to SNS "
            f"{self.topic_arn} as message {response.get('MessageId')}: {alert.subject}"
        )

    def _client(self) -> Any:
        session = boto3.session.Session(
            profile_name=self.profile_name,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
            aws_session_token=self.aws_session_token,
            region_name=self.region_name or _arn_region(self.topic_arn),
        )
        config = Config(
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            retries={"max_attempts": self.max_attempts, "mode": "standard"},
        )
        return session.client(
            "sns",
            endpoint_url=self.endpoint_url,  # None: boto3 honours AWS_ENDPOINT_URL itself
            use_ssl=self.use_ssl,
            verify=self.verify,
            config=config,
        )


def _arn_region(arn: str) -> str | None:
    match = SNS_ARN_RE.fullmatch(arn.strip())
    return match.group(1) if match else None


def sns_request(topic_arn: str, alert: Alert) -> dict[str, Any]:
    """The Publish parameters for `alert` (FIFO topics also get group and dedup ids)."""
    subject = _CONTROL.sub(" ", alert.subject).strip() or alert.rule
    if len(subject) > MAX_SUBJECT:
        subject = subject[: MAX_SUBJECT - 1] + "…"
    request: dict[str, Any] = {
        "TopicArn": topic_arn,
        "Subject": subject,
        "Message": alert.full_text(),
        "MessageAttributes": {
            name: {"DataType": "String", "StringValue": value}
            for name, value in alert.attributes().items()
            if value
        },
    }
    if topic_arn.endswith(".fifo"):
        # SNS drops a repeated deduplication id for 5 minutes: a retried publish arrives once.
        request |= {"MessageGroupId": alert.rule, "MessageDeduplicationId": alert.dedup_key}
    return request


class OutboxAlertTransport(AlertTransportResource):
    """Appends one JSON line per alert to a local file and logs it; a dedup key is kept once."""

    path: str = Field(description="The outbox, $CRYPTO_ASSETS_HOME/alerts.jsonl")

    def publish(self, alert: Alert) -> None:
        """Append `alert` unless its dedup key is already in the outbox."""
        outbox = Path(self.path)
        try:
            outbox.parent.mkdir(parents=True, exist_ok=True)
            with outbox.open("a+", encoding="utf-8") as f:
                # Exclusive: sensors of other threads or processes check and append in turn.
                fcntl.flock(f, fcntl.LOCK_EX)
                f.seek(0)
                text = f.read()
                if alert.dedup_key in outbox_keys(text.splitlines()):
                    _log.info(f"alert {alert.dedup_key} already in {outbox}; not appended again")
                    return
                # A line cut short by a crash must not swallow the next one.
                f.write(("\n" if text and not text.endswith("\n") else "") + alert.to_json() + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise AlertDeliveryError(f"cannot append to the alert outbox {outbox}: {exc}") from exc
        _log.warning(
            f"ALERT [{alert.severity}] {alert.subject} ({alert.rule}, key {alert.dedup_key})"
            f"{' ' + alert.link if alert.link else ''} -> {outbox}"
        )


def outbox_keys(lines: Iterable[str]) -> set[str]:
    """Dedup keys of the outbox lines that parse (a torn last line is ignored)."""
    keys = set()
    for line in lines:
        try:
            keys.add(json.loads(line)["dedup_key"])
        except (ValueError, KeyError, TypeError):
            continue
    return keys


def build_alert_transport(settings: Settings) -> AlertTransportResource:
    """SNS when CRYPTO_ALERTS_SNS_TOPIC_ARN is set, else the outbox in CRYPTO_ASSETS_HOME."""
    arn = settings.alerts_sns_topic_arn
    if not arn:
        return OutboxAlertTransport(path=str(settings.alerts_outbox))
    region = _arn_region(arn)
    if region is None:
        raise ConfigurationError(
            f"CRYPTO_ALERTS_SNS_TOPIC_ARN: expected arn:aws:sns:<region>:<account>:<topic>, "
            f"got {arn!r}"
        )
    return SnsAlertTransport(
        topic_arn=arn.strip(),
        region_name=settings.aws_region or region,
        endpoint_url=settings.aws_endpoint_url,
    )


class _StopAfterFirstFailure:
    """Within one tick, once a publish fails the others fail at once (a down SNS costs one
    bounded attempt per tick, not one per pending alert) and stay pending."""

    def __init__(self, transport: AlertTransport) -> None:
        self.transport = transport
        self.failure: AlertDeliveryError | None = None

    def publish(self, alert: Alert) -> None:
        if self.failure is not None:
            raise AlertDeliveryError(f"skipped this tick after an earlier failure: {self.failure}")
        try:
            self.transport.publish(alert)
        except AlertDeliveryError as exc:
            self.failure = exc
            raise


def deliver_tick(
    context: SensorEvaluationContext,
    ledger: AlertLedger,
    transport: AlertTransport,
    new_alerts: Iterable[Alert] = (),
) -> SkipReason:
    """Enqueue new alerts, send everything pending, save the cursor; the tick's summary."""
    ledger.enqueue(new_alerts)
    guarded = _StopAfterFirstFailure(transport)
    sent = ledger.deliver(guarded, context.log)
    context.update_cursor(ledger.to_cursor())
    for alert in sent:
        context.log.info(f"sent {alert.rule} alert {alert.dedup_key}: {alert.subject}")
    summary = f"{len(sent)} alert(s) sent"
    if ledger.pending:
        summary += f"; {len(ledger.pending)} NOT delivered, retried next tick: {guarded.failure}"
    return SkipReason(summary)
