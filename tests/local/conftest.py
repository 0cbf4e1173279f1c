"""Fixtures for the local-engine tests: httpx and openai SDK clients on the engine's /v1."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest


@pytest.fixture
def api(engine) -> Iterator[httpx.Client]:
    """An httpx client whose base URL is the engine's /v1."""
    with httpx.Client(base_url=engine.base_url, timeout=60) as client:
        yield client


@pytest.fixture
def sdk(engine) -> Iterator[openai.OpenAI]:
    """The official openai SDK pointed at the engine (no retries)."""
    with openai.OpenAI(api_key="x", base_url=engine.base_url, max_retries=0) as client:
        yield client
