"""moto's server on 127.0.0.1 with an SNS topic feeding an SQS queue, and a sensor driver."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
import requests
from dagster import DagsterInstance, SensorDefinition, build_sensor_context
from moto.server import ThreadedMotoServer

from crypto_assets.alerts.ledger import AlertLedger
from crypto_assets.alerts.message import Alert
from crypto_assets.environment import Settings

REGION = "us-east-1"
UI_URL = "http://dagster.example:3000"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """A moto server that a test can stop (SNS outage) and start again on the same port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start(self) -> None:
        if self._server is None:
            # moto keeps its state in this process: topics and queues outlive a restart.
            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
            self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """One moto server for the session (tests reset it)."""
    server = MotoServer()
    server.start()
    yield server
    server.stop()


@dataclass
class SnsInbox:
    """An SNS topic with an SQS queue subscribed: what subscribers of the topic receive."""

    topic_arn: str
    queue_url: str
    sqs: object
    received: list[dict] = field(default_factory=list)

    def drain(self) -> list[dict]:
        """Messages that arrived since the last drain: subject, message, attributes."""
        new = []
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not batch:
                break
            for message in batch:
                envelope = json.loads(message["Body"])
                attributes = envelope.get("MessageAttributes", {})
                new.append(
                    {
                        "subject": envelope.get("Subject"),
                        "message": envelope["Message"],
                        "attributes": {k: v["Value"] for k, v in attributes.items()},
                        "types": {k: v["Type"] for k, v in attributes.items()},
                    }
                )
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
        self.received += new
        return new


def make_inbox(endpoint: str, topic_name: str = "crypto-assets-alerts") -> SnsInbox:
    """Create the topic and a queue subscribed to it (FIFO when the name ends with .fifo)."""
    kwargs = {"endpoint_url": endpoint, "region_name": REGION}
    sns, sqs = boto3.client("sns", **kwargs), boto3.client("sqs", **kwargs)
    fifo = topic_name.endswith(".fifo")
    topic = sns.create_topic(Name=topic_name, Attributes={"FifoTopic": "true"} if fifo else {})
    queue_url = sqs.create_queue(
        QueueName=topic_name.replace("alerts", "alerts-inbox"),
        Attributes={"FifoQueue": "true"} if fifo else {},
    )["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    sns.subscribe(
        TopicArn=topic["TopicArn"],
        Protocol="sqs",
        Endpoint=queue_arn["Attributes"]["QueueArn"],
    )
    return SnsInbox(topic["TopicArn"], queue_url, sqs)


@pytest.fixture
def aws_env(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """A reset, running moto server and dummy credentials; its endpoint URL."""
    moto_server.start()
    requests.post(f"{moto_server.url}/moto-api/reset", timeout=10).raise_for_status()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    return moto_server.url


@pytest.fixture
def inbox(aws_env: str) -> SnsInbox:
    """A standard topic with its subscribed queue."""
    return make_inbox(aws_env)


def sns_settings(home: Path, inbox: SnsInbox, endpoint: str) -> Settings:
    """Settings as the deployment reads them, with the alert topic on moto."""
    return Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(home),
            "CRYPTO_SOURCE": "replay",
            "CRYPTO_ALERTS_SNS_TOPIC_ARN": inbox.topic_arn,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": REGION,
            "CRYPTO_UI_URL": UI_URL,
        }
    )


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[DagsterInstance]:
    """A persistent instance in a temp folder, as the daemon's (sensors need one)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    with DagsterInstance.local_temp(str(home)) as inst:
        yield inst


class SensorDriver:
    """Evaluates a sensor tick after tick, carrying the cursor between ticks as the daemon does."""

    def __init__(self, sensor: SensorDefinition, instance: DagsterInstance, alerts: object) -> None:
        self.sensor, self.instance, self.alerts = sensor, instance, alerts
        self.cursor: str | None = None
        self.messages: list[str] = []

    def tick(self) -> str:
        """One evaluation; returns its skip message."""
        context = build_sensor_context(
            instance=self.instance,
            cursor=self.cursor,
            sensor_name=self.sensor.name,
            resources={"alerts": self.alerts},
        )
        data = self.sensor.evaluate_tick(context)
        assert not data.run_requests
        self.cursor = data.cursor
        self.messages.append(data.skip_message or "")
        return data.skip_message or ""

    @property
    def ledger(self) -> AlertLedger:
        return AlertLedger.from_cursor(self.cursor)


def outbox_alerts(path: Path) -> list[Alert]:
    """Every alert in an outbox file."""
    if not path.exists():
        return []
    return [Alert.from_json(line) for line in path.read_text().splitlines() if line]
