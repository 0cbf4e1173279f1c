"""The engine's settings and its thread-safe control state: faults, latency, hits, headers."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable
from typing import Any

from .faults import MAX_LATENCY, Fault, normalize_path
from .registry import DEFAULT_MAX_UPLOAD
from .synthesis import DEFAULT_SLOTS, SynthesisSlots

PAGING_MODES = ("full", "paged")
# Requests whose header names are kept, per path, and paths kept: enough for a test,
# bounded for a server that anyone may send made-up /v1/... paths.
HEADER_RECORDS = 32
HEADER_PATHS = 64


class EngineState:
    """Everything a running engine needs to know; shared by the app and LocalEngine."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        catalog: list[dict] | None = None,
        catalog_is_sample: bool = True,
        catalog_paging: str = "full",
        page_size: int = 20,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
        control: bool = False,
        synthesis_slots: int = DEFAULT_SLOTS,
    ) -> None:
        if catalog_paging not in PAGING_MODES:
            raise ValueError(f"catalog_paging must be one of {PAGING_MODES}")
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        if max_upload_bytes < 1:
            raise ValueError("max_upload_bytes must be >= 1")
        self.api_key = api_key or None
        self.catalog: list[dict] = list(catalog or [])
        self.catalog_is_sample = catalog_is_sample
        self.catalog_paging = catalog_paging
        self.page_size = page_size
        self.max_upload_bytes = max_upload_bytes
        self.control = control  # serve the /_engine/ endpoints (tests and benchmarks only)
        self.synthesis = SynthesisSlots(synthesis_slots)
        self._lock = threading.Lock()
        self._faults: dict[str, deque[Fault]] = {}
        self._latency = 0.0
        self._hits: Counter[str] = Counter()
        self._headers: dict[str, deque[list[str]]] = {}

    # faults
    def add_fault(self, fault: Fault) -> None:
        """Queue a fault; several faults on one path fire in the order they were added."""
        with self._lock:
            self._faults.setdefault(fault.path, deque()).append(fault)

    def inject(self, path: str, status: int, **options: Any) -> Fault:
        """Build and queue a fault (see Fault for the options)."""
        fault = Fault(path=path, status=status, **options)
        self.add_fault(fault)
        return fault

    def take_fault(self, path: str) -> Fault | None:
        """The fault that answers this request to `path`, if any (uses up one of its count)."""
        with self._lock:
            queue = self._faults.get(normalize_path(path))
            if not queue:
                return None
            fault = queue[0]
            fault.count -= 1
            if fault.count <= 0:
                queue.popleft()
            if not queue:
                del self._faults[fault.path]
            return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> dict[str, int]:
        """Requests still to be faulted, per path."""
        with self._lock:
            return {p: sum(f.count for f in q) for p, q in self._faults.items()}

    # latency
    @property
    def latency(self) -> float:
        return self._latency

    def set_latency(self, seconds: float) -> None:
        number = isinstance(seconds, (int, float)) and not isinstance(seconds, bool)
        if not number or not 0 <= seconds <= MAX_LATENCY:  # NaN fails the comparison too
            raise ValueError(f"latency must be a number of seconds from 0 to {MAX_LATENCY:g}")
        with self._lock:
            self._latency = float(seconds)

    # hits
    def count_hit(self, path: str) -> None:
        with self._lock:
            self._hits[normalize_path(path)] += 1

    def hits(self, path: str | None = None) -> int | dict[str, int]:
        """Requests seen on one path, or a dict of all paths' counts."""
        with self._lock:
            if path is None:
                return dict(self._hits)
            return self._hits.get(normalize_path(path), 0)

    # request headers: names only, so a key sent is never kept
    def record_headers(self, path: str, names: Iterable[str]) -> None:
        path = normalize_path(path)
        with self._lock:
            if path not in self._headers and len(self._headers) >= HEADER_PATHS:
                return
            records = self._headers.setdefault(path, deque(maxlen=HEADER_RECORDS))
            records.append(sorted({name.lower() for name in names}))

    def request_headers(self, path: str) -> list[list[str]]:
        """The header names of the last requests to `path` (oldest first), lower-case."""
        with self._lock:
            return [list(names) for names in self._headers.get(normalize_path(path), ())]

    def reset(self) -> None:
        """Clear faults, latency, hit counts and recorded headers."""
        with self._lock:
            self._faults.clear()
            self._latency = 0.0
            self._hits.clear()
            self._headers.clear()
