"""Both transports against real endpoints: SNS on moto's server (read back through SQS) and
the outbox file; failures raise AlertDeliveryError within bounded time."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import pytest

from crypto_assets.alerts.ledger import AlertDeliveryError
from crypto_assets.alerts.message import Alert, dedup_key
from crypto_assets.alerts.transports import (
    OutboxAlertTransport,
    SnsAlertTransport,
    build_alert_transport,
    sns_request,
)
from crypto_assets.deployment import build_resources
from crypto_assets.environment import ConfigurationError, Settings
from crypto_assets_tests.alerts.conftest import (
    REGION,
    SnsInbox,
    make_inbox,
    outbox_alerts,
    sns_settings,
)

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-NOT-A-REAL-SECRET"


def alert(n: int = 1, **changes: object) -> Alert:
    fields = {
        "rule": "mention_spike",
        "severity": "WARNING",
        "subject": f"BTC mentions x{n} in window 2025-10-28-12:00",
        "body": f"BTC: {n * 10} mentions vs 5 on average.",
        "dedup_key": dedup_key("mention_spike", "BTC", "2025-10-28-12:00", n),
        "window": "2025-10-28-12:00",
        "symbol": "BTC",
        "link": "http://dagster.example:3000/assets/mention_counts",
        "numbers": {"mentions": n * 10},
    }
    return Alert(**(fields | changes))


def test_sns_message_has_subject_body_and_filterable_string_attributes(
    inbox: SnsInbox, aws_env: str, tmp_path: Path
) -> None:
    transport = build_alert_transport(sns_settings(tmp_path, inbox, aws_env))
    assert isinstance(transport, SnsAlertTransport)
    sent = alert()
    transport.publish(sent)

    [message] = inbox.drain()
    assert message["subject"] == sent.subject
    assert message["message"] == sent.full_text()
    assert message["message"].endswith("\n\nhttp://dagster.example:3000/assets/mention_counts")
    assert message["attributes"] == {
        "rule": "mention_spike",
        "severity": "WARNING",
        "symbol": "BTC",
        "window": "2025-10-28-12:00",
        "dedup_key": sent.dedup_key,
    }
    assert set(message["types"].values()) == {"String"}


def test_subject_is_one_line_of_at_most_100_characters() -> None:
    long = alert(subject="Run failed:\n" + "x" * 200)
    subject = sns_request("arn:aws:sns:us-east-1:123456789012:t", long)["Subject"]
    assert len(subject) < 100 and "\n" not in subject
    assert subject.startswith("Run failed: xxx") and subject.endswith("…")


def test_fifo_topic_gets_group_and_dedup_ids_so_a_retried_publish_arrives_once(
    aws_env: str,
) -> None:
    fifo = make_inbox(aws_env, "crypto-assets-alerts.fifo")
    transport = SnsAlertTransport(topic_arn=fifo.topic_arn, endpoint_url=aws_env)
    request = sns_request(fifo.topic_arn, alert())
    assert request["MessageGroupId"] == "mention_spike"
    assert request["MessageDeduplicationId"] == alert().dedup_key

    transport.publish(alert())
    transport.publish(alert())  # e.g. the cursor was not saved after the first publish
    assert len(fifo.drain()) == 1


def test_unreachable_sns_raises_delivery_error_quickly(aws_env: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    transport = SnsAlertTransport(
        topic_arn=f"arn:aws:sns:{REGION}:123456789012:crypto-assets-alerts",
        endpoint_url=f"http://127.0.0.1:{closed_port}",
    )
    started = time.monotonic()
    with pytest.raises(AlertDeliveryError, match="EndpointConnectionError"):
        transport.publish(alert())
    assert time.monotonic() - started < 30


def test_a_silent_sns_endpoint_times_out_instead_of_hanging(aws_env: str) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        transport = SnsAlertTransport(
            topic_arn=f"arn:aws:sns:{REGION}:123456789012:crypto-assets-alerts",
            endpoint_url=f"http://127.0.0.1:{silent.getsockname()[1]}",
            read_timeout_s=1,
            max_attempts=2,
        )
        started = time.monotonic()
        with pytest.raises(AlertDeliveryError, match="ReadTimeout"):
            transport.publish(alert())
        assert time.monotonic() - started < 20


def test_credentials_never_reach_logs_or_errors(
    inbox: SnsInbox, aws_env: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = SnsAlertTransport(
        topic_arn=inbox.topic_arn,
        endpoint_url=aws_env,
        aws_access_key_id="AKIAEXAMPLEKEY",
        aws_secret_access_key=SECRET,
    )
    good.publish(alert())
    missing = good.model_copy(update={"topic_arn": inbox.topic_arn + "-missing"})
    with pytest.raises(AlertDeliveryError) as failure:
        missing.publish(alert(2))
    assert "NotFound" in str(failure.value)
    assert SECRET not in str(failure.value)
    assert SECRET not in caplog.text
    assert "published to SNS" in caplog.text


def test_outbox_appends_one_line_per_alert_and_never_a_dedup_key_twice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "home" / "alerts.jsonl"
    OutboxAlertTransport(path=str(path)).publish(alert(1))
    OutboxAlertTransport(path=str(path)).publish(alert(1))  # a new process, same alert
    OutboxAlertTransport(path=str(path)).publish(alert(2))
    assert outbox_alerts(path) == [alert(1), alert(2)]
    assert f"ALERT [WARNING] {alert(1).subject}" in caplog.text
    assert "already in" in caplog.text


def test_outbox_line_torn_by_a_crash_does_not_swallow_the_next_alert(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    path.write_text(alert(1).to_json() + "\n" + alert(2).to_json()[:40])
    OutboxAlertTransport(path=str(path)).publish(alert(3))
    lines = path.read_text().splitlines()
    assert Alert.from_json(lines[-1]) == alert(3)
    assert len(lines) == 3


def test_unwritable_outbox_raises_delivery_error(tmp_path: Path) -> None:
    (tmp_path / "alerts.jsonl").mkdir()
    with pytest.raises(AlertDeliveryError, match="alert outbox"):
        OutboxAlertTransport(path=str(tmp_path / "alerts.jsonl")).publish(alert())


def test_deployment_picks_the_outbox_without_a_topic_and_sns_with_one(tmp_path: Path) -> None:
    local = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path)})
    outbox = build_resources(local)["alerts"]
    assert isinstance(outbox, OutboxAlertTransport)
    assert outbox.path == str(tmp_path / "alerts.jsonl")

    arn = "arn:aws:sns:eu-west-1:123456789012:crypto-assets-prod-alerts"
    cloud = Settings.from_env(
        {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_ALERTS_SNS_TOPIC_ARN": arn}
    )
    sns = build_resources(cloud)["alerts"]
    assert isinstance(sns, SnsAlertTransport)
    assert (sns.topic_arn, sns.region_name, sns.endpoint_url) == (arn, "eu-west-1", None)


def test_a_malformed_topic_arn_fails_at_load_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"CRYPTO_ALERTS_SNS_TOPIC_ARN.*'crypto-alerts'"):
        Settings.from_env(
            {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_ALERTS_SNS_TOPIC_ARN": "crypto-alerts"}
        )
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path)})
    settings = settings.model_copy(update={"alerts_sns_topic_arn": "crypto-alerts"})
    with pytest.raises(ConfigurationError, match="CRYPTO_ALERTS_SNS_TOPIC_ARN"):
        build_alert_transport(settings)  # and the transport refuses it too
