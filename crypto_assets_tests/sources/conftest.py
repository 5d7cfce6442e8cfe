"""Fixtures for the source client tests: a scripted local HTTP server and a fake clock."""

from __future__ import annotations

import pytest

from crypto_assets.sources.http import HttpClient


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it or a test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def http(clock: FakeClock) -> HttpClient:
    """An HttpClient on fake time: retries and pacing cost no wall time."""
    return HttpClient(
        user_agent="python:crypto_assets_tests:0 (by /u/tester)",
        timeout_s=5,
        max_retries=3,
        backoff_base_s=0.5,
        max_backoff_s=30,
        sleep=clock.sleep,
        clock=clock,
    )
