"""Model catalog speed: fetch + build a table, and filter + sort one, against the targets.

Run: python benchmarks/catalog_build.py [--rounds 20]

1. The 325-record test catalog, already fetched: a filtered, sorted DataFrame, cold (the
   table built from the records too) and warm (the table built once). Target < 50 ms.
2. A 3,000-record synthetic catalog (the test catalog's records, repeated with new ids)
   served by the built-in engine on loopback, whole (page 0) and in pages of 100:
   ``models(refresh=True)`` then ``.df``. Target < 1 s. Raw httpx + json for comparison.
3. The cached paths: a second ``models()`` (memory) and one after a restart (disk).

Prints medians, and ratios to the target (below 1.00 is within it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from comet_audio_nb.catalog import ModelCatalog, clear_cache, fetch, models
from comet_audio_nb.local import LocalEngine

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "catalog.json"


def median_ms(call: Callable[[], object], rounds: int) -> float:
    call()  # warm up imports and connections
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def line(label: str, ms: float, target_ms: float | None = None) -> None:
    ratio = f"   {ms / target_ms:5.2f}× of the {target_ms:.0f} ms target" if target_ms else ""
    print(f"  {label:<52} {ms:8.2f} ms{ratio}")


def synthetic(records: list[dict], size: int) -> list[dict]:
    out = []
    for k in range(size):
        record = dict(records[k % len(records)])
        round_no = k // len(records)
        if round_no:
            record["id"] = f"{record['id']}-r{round_no}"
        out.append(record)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rounds = args.rounds
    raw = json.loads(DATA.read_text(encoding="utf-8"))["data"]

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COMET_AUDIO_NB_CACHE_DIR"] = str(Path(tmp) / "cache")

        title = "filter(type='audio', max_price=100).sort('price').df"
        print(f"\n1. {len(raw)}-record catalog, fetched: {title}")
        with LocalEngine(catalog_path=DATA) as engine:
            records = models(base_url=engine.base_url, cache=False).records

        def cold() -> object:
            return ModelCatalog(records).filter(type="audio", max_price=100).sort("price").df

        warm_catalog = ModelCatalog(records)

        def warm() -> object:
            return warm_catalog.filter(type="audio", max_price=100).sort("price").df

        line("cold (table built from the records, then filtered)", median_ms(cold, rounds), 50)
        line("warm (table built once)", median_ms(warm, rounds), 50)
        line(
            "estimate(characters=10_000, audio_minutes=10), warm",
            median_ms(lambda: warm_catalog.estimate(characters=10_000, audio_minutes=10), rounds),
            50,
        )
        line("HTML view (50 rows), warm", median_ms(warm_catalog._repr_html_, rounds), 50)

        big = synthetic(raw, 3000)
        path = Path(tmp) / "catalog-3000.json"
        path.write_text(json.dumps({"success": True, "data": big}), encoding="utf-8")
        size = path.stat().st_size / 1e6
        print(f"\n2. {len(big):,}-record catalog ({size:.1f} MB) on loopback: models().df")
        for paging in ("full", "paged"):
            with LocalEngine(catalog_path=path, catalog_paging=paging, page_size=100) as engine:
                url = engine.url + "/api/models"

                def ours(base=engine.base_url) -> object:
                    return models(base_url=base, refresh=True, cache=False).df

                def raw_json(url=url) -> object:
                    with httpx.Client() as client:
                        return client.get(url).json()

                pages = "one request" if paging == "full" else "30 pages of 100"
                ms = median_ms(ours, max(rounds // 2, 3))
                line(f"{paging} ({pages})", ms, 1000)
                if paging == "full":
                    base = median_ms(raw_json, max(rounds // 2, 3))
                    line("  raw httpx GET + json (no parsing, no table)", base)
                    print(f"  {'  ratio: ours / raw':<52} {ms / base:8.2f}×")

        print("\n3. cached copies of the 3,000-record catalog")
        with LocalEngine(catalog_path=path) as engine:
            clear_cache()
            fetch._built.clear()
            models(base_url=engine.base_url)._table()  # fetch once, build the table
            line(
                "from memory (table reused)",
                median_ms(lambda base=engine.base_url: models(base_url=base).df, rounds),
            )

            def from_disk(base=engine.base_url) -> object:
                clear_cache(disk=False)
                fetch._built.clear()
                return models(base_url=base).df

            line("from disk (a new kernel: parse + table)", median_ms(from_disk, rounds), 1000)


if __name__ == "__main__":
    main()
