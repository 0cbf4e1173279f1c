"""The model catalog (/api/models, every page) and /v1/models through both clients."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from comet_audio_nb import AsyncCometClient, CometClient, InvalidResponseError
from comet_audio_nb.local import LocalEngine

CATALOG = Path(__file__).parent / "data" / "catalog.json"


def catalog_ids() -> list[str]:
    return [r["id"] for r in json.loads(CATALOG.read_text())["data"]]


@pytest.fixture(scope="module")
def paged_engine():
    with LocalEngine(catalog_path=CATALOG, catalog_paging="paged", page_size=25) as engine:
        yield engine


def test_whole_catalog_in_one_request_when_page_zero_is_honoured(engine):
    with CometClient(base_url=engine.base_url) as client:
        records = client.models()
    assert [r.id for r in records] == catalog_ids()
    assert engine.hits("/api/models") == 1
    assert len(records) > 300


def test_all_pages_when_the_server_only_pages(paged_engine):
    expected = catalog_ids()
    with CometClient(base_url=paged_engine.base_url) as client:
        records = client.models()
    assert [r.id for r in records] == expected  # every record, in order, none twice
    assert paged_engine.hits("/api/models") == -(-len(expected) // 25)


def test_async_client_fetches_pages_concurrently(paged_engine):
    paged_engine.reset()

    async def fetch():
        async with AsyncCometClient(base_url=paged_engine.base_url) as client:
            return await client.models()

    records = asyncio.run(fetch())
    assert [r.id for r in records] == catalog_ids()


def test_catalog_pages_are_the_raw_envelopes_that_models_parses(paged_engine):
    expected = catalog_ids()
    paged_engine.reset()
    with CometClient(base_url=paged_engine.base_url) as client:
        pages = client.catalog_pages()
        records = client.models()
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1))
    assert len(pages) == paged_engine.hits("/api/models") // 2 == -(-len(expected) // 25)
    assert all(p["success"] is True and p["total"] == len(expected) for p in pages)
    items = [item for page in pages for item in page["data"]]
    assert [item["id"] for item in items] == expected == [r.id for r in records]
    assert isinstance(items[0], dict) and "pricing" in items[0]  # raw, not parsed

    async def fetch():
        async with AsyncCometClient(base_url=paged_engine.base_url) as client:
            return await client.catalog_pages()

    assert asyncio.run(fetch()) == pages


def test_catalog_failure_envelope_is_an_error(engine):
    engine.inject("/api/models", 200, body='{"success": false, "message": "maintenance"}',
                  content_type="application/json")  # fmt: skip
    with CometClient(base_url=engine.base_url) as client:
        with pytest.raises(InvalidResponseError, match="maintenance"):
            client.models()


def test_catalog_needs_no_key_and_sends_none(engine):
    with CometClient("sk-not-for-the-catalog-000", base_url=engine.base_url) as client:
        assert client.models()
        client.list_models()  # /v1/models does carry the key: proof the recording sees it
    catalog_requests = engine.request_headers("/api/models")  # header names, never values
    assert catalog_requests and all("authorization" not in names for names in catalog_requests)
    assert all("authorization" in names for names in engine.request_headers("/v1/models"))


def test_list_models_openai_style(engine):
    with CometClient(base_url=engine.base_url) as client:
        ids = {m["id"] for m in client.list_models()}
    assert {"tts-1", "whisper-1"} <= ids
