"""models(): the whole catalog over loopback, paging, memory and disk caches, fallbacks, sources.

Nothing here reaches the internet: every fetch goes to a LocalEngine on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from comet_audio_nb import APIConnectionError, InvalidResponseError, ServerError, models
from comet_audio_nb.catalog import cache, catalog_url, clear_cache, fetch
from comet_audio_nb.local import LocalEngine
from comet_audio_nb.retry import RetryPolicy

CATALOG = Path(__file__).parent / "data" / "catalog.json"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """Each test gets an empty cache directory and an empty memory cache."""
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COMET_AUDIO_NB_CATALOG_TTL", raising=False)
    monkeypatch.delenv("COMETAPI_BASE_URL", raising=False)
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, headers=None: 0.0)
    clear_cache(disk=False)
    fetch._built.clear()
    yield tmp_path / "cache"
    clear_cache(disk=False)
    fetch._built.clear()


@pytest.fixture(scope="module")
def paged_engine():
    with LocalEngine(catalog_path=CATALOG, catalog_paging="paged", page_size=40) as engine:
        yield engine


@pytest.fixture(scope="module")
def sample_engine():
    with LocalEngine() as engine:  # no catalog file: the engine's own sample catalog
        yield engine


def expected_ids() -> list[str]:
    return [r["id"] for r in json.loads(CATALOG.read_text(encoding="utf-8"))["data"]]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens there now


# --- the whole catalog ----------------------------------------------------------------------


def test_whole_catalog_when_page_zero_is_honoured(engine):
    catalog = models(base_url=engine.base_url)
    assert catalog.ids == expected_ids()
    assert engine.hits("/api/models") == 1
    assert catalog.source.url == engine.url + "/api/models"
    assert catalog.source.sample is False and catalog.source.cached is None
    assert catalog.source.fetched_at is not None


def test_whole_catalog_when_the_server_only_serves_fixed_pages(paged_engine):
    paged_engine.reset()
    catalog = models(base_url=paged_engine.base_url)
    assert catalog.ids == expected_ids()
    assert paged_engine.hits("/api/models") == -(-325 // 40)


def test_comet_api_base_url_from_the_environment(engine, monkeypatch):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    assert len(models()) == 325
    assert engine.hits("/api/models") == 1


def test_the_default_is_cometapis_public_catalog_even_without_a_key(monkeypatch):
    for name in ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert catalog_url() == "https://api.cometapi.com/api/models"
    monkeypatch.setenv("COMETAPI_BASE_URL", "https://proxy.example/v1")
    assert catalog_url() == "https://proxy.example/api/models"


def test_malformed_records_are_reported_not_fatal(tmp_path):
    items = json.loads(CATALOG.read_text(encoding="utf-8"))["data"][:5]
    items += [{"name": "no id"}, {"id": "   "}, {"id": "odd", "pricing": "[1, 2]"}]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with LocalEngine(catalog_path=path) as engine:
        catalog = models(base_url=engine.base_url)
    assert len(catalog) == 6 and "odd" in catalog
    assert len(catalog.source.problems) == 2


def test_a_failure_envelope_is_an_error_not_an_empty_catalog(engine):
    engine.inject("/api/models", 200, body={"success": False, "message": "maintenance"})
    with pytest.raises(InvalidResponseError, match="maintenance"):
        models(base_url=engine.base_url)


# --- caching --------------------------------------------------------------------------------


def test_second_call_comes_from_memory(engine):
    first = models(base_url=engine.base_url)
    second = models(base_url=engine.base_url)
    assert engine.hits("/api/models") == 1
    assert second.source.cached == "memory"
    assert second.ids == first.ids
    assert second._table() is first._table()  # the table is built once


def test_disk_copy_serves_a_new_kernel(engine, isolated_cache):
    models(base_url=engine.base_url)
    files = list(isolated_cache.glob("catalog-*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["url"] == engine.url + "/api/models"
    assert (
        len(saved["data"]) == 325
        and saved["data"][0] == json.loads(CATALOG.read_text(encoding="utf-8"))["data"][0]
    )  # the raw records, as received
    datetime.fromisoformat(saved["fetched_at"])

    clear_cache(disk=False)  # as after a kernel restart
    fetch._built.clear()
    again = models(base_url=engine.base_url)
    assert engine.hits("/api/models") == 1
    assert again.source.cached == "disk" and len(again) == 325


def test_refresh_bypasses_both_caches(engine):
    models(base_url=engine.base_url)
    fresh = models(base_url=engine.base_url, refresh=True)
    assert engine.hits("/api/models") == 2 and fresh.source.cached is None


def test_a_copy_older_than_the_ttl_is_fetched_again(engine, monkeypatch):
    models(base_url=engine.base_url)
    assert models(base_url=engine.base_url, ttl=3600).source.cached == "memory"
    assert models(base_url=engine.base_url, ttl=0).source.cached is None
    assert engine.hits("/api/models") == 2
    monkeypatch.setenv("COMET_AUDIO_NB_CATALOG_TTL", "0")
    models(base_url=engine.base_url)
    assert engine.hits("/api/models") == 3


def test_an_expired_disk_copy_is_not_used_while_the_service_answers(engine):
    url = engine.url + "/api/models"
    old = datetime.now(timezone.utc) - timedelta(days=3)
    cache.keep(cache.CachedCatalog(url, old, [{"id": "stale-model"}]))
    clear_cache(disk=False)
    catalog = models(base_url=engine.base_url)
    assert catalog.source.cached is None and len(catalog) == 325


def test_cache_false_neither_reads_nor_writes(engine, isolated_cache):
    models(base_url=engine.base_url, cache=False)
    models(base_url=engine.base_url, cache=False)
    assert engine.hits("/api/models") == 2
    assert not isolated_cache.exists() or not list(isolated_cache.iterdir())


def test_a_corrupt_disk_copy_is_ignored(engine, isolated_cache):
    isolated_cache.mkdir(parents=True)
    cache.path_for(engine.url + "/api/models").write_text("{not json", encoding="utf-8")
    assert len(models(base_url=engine.base_url)) == 325
    assert engine.hits("/api/models") == 1


def test_an_unwritable_cache_directory_is_not_an_error(engine, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(blocker / "cache"))
    assert len(models(base_url=engine.base_url)) == 325


# --- when the service cannot be reached ------------------------------------------------------


def test_unreachable_uses_the_cached_copy_with_a_one_line_notice(engine, capsys):
    models(base_url=engine.base_url)
    capsys.readouterr()
    engine.inject("/api/models", 503, count=3)  # the first try and both retries
    catalog = models(base_url=engine.base_url, refresh=True)
    assert len(catalog) == 325 and catalog.source.stale
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "could not be reached (HTTP 503)" in err and "cached 0 s ago" in err
    assert catalog.source.notice in err
    assert "could not be reached" in repr(catalog) and "could not be reached" in (
        catalog._repr_html_()
    )


def test_unreachable_after_a_restart_uses_the_disk_copy_however_old(capsys):
    url = closed_port_url()
    where = url.removesuffix("/v1") + "/api/models"
    fetched = datetime.now(timezone.utc) - timedelta(days=3)
    cache.keep(cache.CachedCatalog(where, fetched, [{"id": "tts-1"}, {"id": "whisper-1"}]))
    clear_cache(disk=False)
    catalog = models(base_url=url)
    assert catalog.ids == ["tts-1", "whisper-1"]
    assert catalog.source.cached == "disk" and catalog.source.stale
    assert "no connection" in capsys.readouterr().err
    assert "3 days" in catalog.source.notice


def test_unreachable_with_no_copy_says_so():
    with pytest.raises(APIConnectionError) as caught:
        models(base_url=closed_port_url())
    message = str(caught.value)
    assert "unreachable and no copy is cached" in message
    assert "models(fallback='local')" in message
    assert caught.value.attempts == 3


def test_fallback_local_is_the_labelled_sample_catalog_with_one_line_saying_why(capsys):
    catalog = models(base_url=closed_port_url(), fallback="local")
    assert catalog.source.sample and {"tts-1", "whisper-1"} <= set(catalog.ids)
    notice = catalog.source.notice
    assert "could not be reached (no connection)" in notice and "no copy is cached" in notice
    assert "sample catalog" in notice and "\n" not in notice
    assert capsys.readouterr().err.strip() == notice  # said once, on stderr in a script
    assert notice in repr(catalog) and "SAMPLE DATA" in repr(catalog)
    page = catalog._repr_html_()
    assert "not live prices" in page and "could not be reached" in page


def test_fallback_comes_after_any_cached_copy_however_old():
    url = closed_port_url()
    where = url.removesuffix("/v1") + "/api/models"
    fetched = datetime.now(timezone.utc) - timedelta(days=30)
    cache.keep(cache.CachedCatalog(where, fetched, [{"id": "kept-model"}]))
    catalog = models(base_url=url, fallback="local")
    assert catalog.ids == ["kept-model"] and not catalog.source.sample
    assert catalog.source.stale and "30 days" in catalog.source.notice


def test_estimates_on_the_fallback_sample_say_so_wherever_shown(capsys):
    costs = (
        models(base_url=closed_port_url(), fallback="local")
        .audio("speech")
        .estimate(characters=10_000)
    )
    assert costs.attrs["sample"] is True and "could not be reached" in costs.attrs["notice"]
    assert "sample data from the built-in engine" in costs._repr_html_()
    assert "could not be reached" in costs._repr_html_()
    assert "sample data from the built-in engine" in repr(costs)
    assert "sample data from the built-in engine" in repr(costs.head(1))  # kept when derived


def test_notice_false_says_nothing_now_but_the_views_still_do(capsys):
    catalog = models(base_url=closed_port_url(), fallback="local", notice=False)
    assert capsys.readouterr().err == ""
    assert catalog.source.notice and catalog.source.notice in repr(catalog)


def test_an_unknown_fallback_is_refused():
    from comet_audio_nb import ValidationError

    with pytest.raises(ValidationError, match="fallback"):
        models(base_url=closed_port_url(), fallback="cached")


def test_server_errors_with_no_copy_keep_their_status(engine):
    engine.inject("/api/models", 502, count=3)
    with pytest.raises(ServerError) as caught:
        models(base_url=engine.base_url)
    assert caught.value.status == 502 and "no copy is cached" in str(caught.value)


def test_a_transient_failure_is_retried_before_falling_back(engine, capsys):
    engine.inject("/api/models", 503, count=1)
    catalog = models(base_url=engine.base_url)
    assert not catalog.source.stale and len(catalog) == 325
    assert engine.hits("/api/models") == 2 and capsys.readouterr().err == ""


# --- the built-in engine's sample catalog ------------------------------------------------------


def test_local_source_is_the_engines_sample_catalog_labelled_as_such():
    catalog = models(source="local")
    assert {"tts-1", "whisper-1"} <= set(catalog.ids)
    assert catalog.source.sample
    assert "SAMPLE DATA" in repr(catalog) and "not live prices" in catalog._repr_html_()
    assert catalog.df.attrs["sample"] is True


def test_a_base_url_at_the_built_in_engine_is_labelled_sample(sample_engine, isolated_cache):
    catalog = models(base_url=sample_engine.base_url)
    assert catalog.source.sample and "not live prices" in catalog._repr_html_()
    assert not isolated_cache.exists()  # sample data is never written to the disk cache
    assert models(base_url=sample_engine.base_url).source.sample  # also from memory


def test_sample_prices_are_read_in_their_units():
    df = models(source="local").df.set_index("id")
    assert df.loc["tts-1", "usd_per_1m_chars"] == 12
    assert df.loc["whisper-1", "priced_by"] == "second"
    assert df.loc["whisper-1", "usd_per_audio_hour"] == pytest.approx(0.288)


def test_unknown_source_and_conflicting_arguments(engine):
    from comet_audio_nb import CometError, ValidationError

    with pytest.raises(ValidationError, match="unknown catalog source"):
        models(source="openai")
    with pytest.raises(CometError, match="not both"):
        models(source="local", base_url=engine.base_url)


# --- where the cache lives ---------------------------------------------------------------------


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "override"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "override"
    monkeypatch.delenv("COMET_AUDIO_NB_CACHE_DIR")
    assert cache.cache_dir() == tmp_path / "xdg" / "comet-audio-nb"
    monkeypatch.delenv("XDG_CACHE_HOME")
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert cache.cache_dir() == Path.home() / ".cache" / "comet-audio-nb"


def test_ttl_from_the_environment(monkeypatch):
    assert cache.default_ttl() == timedelta(days=1)
    monkeypatch.setenv("COMET_AUDIO_NB_CATALOG_TTL", "90")
    assert cache.default_ttl() == timedelta(seconds=90)
    monkeypatch.setenv("COMET_AUDIO_NB_CATALOG_TTL", "soon")
    assert cache.default_ttl() == timedelta(days=1)


def test_clear_cache_forgets_disk_copies(engine, isolated_cache):
    models(base_url=engine.base_url)
    clear_cache()
    assert not list(isolated_cache.glob("catalog-*.json"))
    models(base_url=engine.base_url)
    assert engine.hits("/api/models") == 2
