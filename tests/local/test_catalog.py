"""GET /api/models (sample data, catalog files, both paging modes) and GET /v1/models."""

from __future__ import annotations

import json

import httpx
import pytest
from engine_helpers import assert_api_error

from comet_audio_nb.local import LocalEngine
from comet_audio_nb.local.registry import ENGINE_MODELS

ENGINE_IDS = [m.id for m in ENGINE_MODELS]
RECORD_KEYS = {
    "id",
    "code",
    "name",
    "description",
    "provider",
    "provider_code",
    "model_type",
    "features",
    "endpoints",
    "pricing",
    "created",
    "upcoming",
    "api_doc_url",
}


def records(n: int) -> list[dict]:
    return [{"id": f"model-{i}", "model_type": "text", "custom": i} for i in range(n)]


@pytest.fixture(scope="module")
def sample_engine():
    with LocalEngine(page_size=4) as eng:
        yield eng


def get(eng: LocalEngine, **params) -> dict:
    response = httpx.get(eng.url + "/api/models", params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_sample_catalog_is_the_engine_models_and_says_so(sample_engine):
    body = get(sample_engine)
    assert body["success"] is True
    assert (body["page"], body["page_size"], body["total"]) == (0, 0, len(ENGINE_IDS))
    assert body["source"] == "local-sample"
    assert "sample" in body["message"].lower() and "not live" in body["message"].lower()
    assert [r["id"] for r in body["data"]] == ENGINE_IDS
    for record in body["data"]:
        assert set(record) >= RECORD_KEYS
        assert record["model_type"] == "audio"
        assert record["upcoming"] is False
        assert "sample data" in record["description"].lower()
        assert set(record["pricing"]) >= {
            "currency",
            "input",
            "output",
            "per_request",
            "per_second",
        }
        assert all(set(e) == {"path", "method"} for e in record["endpoints"])
    features = {r["id"]: r["features"] for r in body["data"]}
    assert "text-to-speech" in features["tts-1"]
    assert "speech-to-text" in features["whisper-1"]
    assert body["data"][0]["pricing"]["input"] == 12.0  # tts-1: $12 / M characters


def test_full_mode_pages_only_when_asked(sample_engine):
    assert get(sample_engine, page=0)["page_size"] == 0
    first = get(sample_engine, page=1)
    assert (first["page"], first["page_size"], first["total"]) == (1, 4, 6)
    assert [r["id"] for r in first["data"]] == ENGINE_IDS[:4]
    second = get(sample_engine, page=2)
    assert [r["id"] for r in second["data"]] == ENGINE_IDS[4:]
    assert get(sample_engine, page=3)["data"] == []
    sized = get(sample_engine, page=2, page_size=5)
    assert (sized["page_size"], [r["id"] for r in sized["data"]]) == (5, ENGINE_IDS[5:])


def test_paged_mode_always_pages(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(records(45)))
    with LocalEngine(catalog_path=path, catalog_paging="paged", page_size=20) as eng:
        for params in ({}, {"page": 0}, {"page": 1, "page_size": 100}):
            body = get(eng, **params)
            assert (body["page"], body["page_size"], body["total"]) == (1, 20, 45)
            assert len(body["data"]) == 20
        last = get(eng, page=3)
        assert [r["id"] for r in last["data"]] == [f"model-{i}" for i in range(40, 45)]
        assert "source" not in last  # a catalog file is served as it is


def test_catalog_file_envelope_keeps_unknown_fields(tmp_path):
    path = tmp_path / "catalog.json"
    envelope = {"success": True, "page": 0, "page_size": 0, "total": 3, "data": records(3)}
    path.write_text(json.dumps(envelope))
    with LocalEngine(catalog_path=path) as eng:
        body = get(eng)
        assert body["total"] == 3
        assert body["data"][2] == {"id": "model-2", "model_type": "text", "custom": 2}


@pytest.mark.parametrize("content", ["not json", '{"success": true}', "[1, 2]"])
def test_bad_catalog_file_is_refused_up_front(tmp_path, content):
    path = tmp_path / "catalog.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="catalog"):
        LocalEngine(catalog_path=path)


def test_bad_page_parameters(sample_engine):
    response = httpx.get(sample_engine.url + "/api/models", params={"page": "two"})
    assert_api_error(response, 400, param="page")
    response = httpx.get(sample_engine.url + "/api/models", params={"page": -1})
    assert_api_error(response, 400, param="page")


def test_v1_models(api):
    body = api.get("/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ENGINE_IDS
    for model in body["data"]:
        keys = {"id", "object", "created", "owned_by", "supported_endpoint_types"}
        assert set(model) == keys | {"description"}  # ours: which local model answers it
        assert model["object"] == "model"
        assert model["description"]


def test_engine_fixture_catalog(engine):
    body = httpx.get(engine.url + "/api/models").json()
    assert body["success"] is True and isinstance(body["data"], list)
    assert body["total"] == len(body["data"])
