"""Emulators over loopback, reached with the real clients: moto (S3) and fakesnow (Snowflake)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server for the session; the URL to pass as AWS_ENDPOINT_URL."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh bucket on a reset moto server, with dummy credentials in the environment."""
    requests.post(f"{moto_endpoint}/moto-api/reset", timeout=10).raise_for_status()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket="crypto-lake")
    return "crypto-lake"


@pytest.fixture(scope="session")
def fakesnow_server() -> Iterator[dict]:
    """fakesnow's Snowflake emulator on 127.0.0.1; connect kwargs incl. host, port, protocol."""
    import fakesnow

    with fakesnow.server(host="127.0.0.1") as kwargs:
        yield kwargs


@pytest.fixture
def snowflake_kwargs(fakesnow_server: dict) -> dict:
    """Connect kwargs for a database of this test's own on the shared fakesnow server."""
    return {**fakesnow_server, "database": f"TEST_{uuid.uuid4().hex[:12].upper()}"}
