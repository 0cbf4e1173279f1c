"""LocalEngine: the app served by uvicorn on a background thread, plus the process singleton."""

from __future__ import annotations

import atexit
import socket
import threading
import time
from pathlib import Path
from typing import Any

from .app import create_app
from .catalog import load_catalog
from .faults import Fault
from .logs import IN_KERNEL_THREAD
from .registry import DEFAULT_MAX_UPLOAD
from .sample_catalog import sample_records
from .state import EngineState
from .synthesis import DEFAULT_SLOTS

_START_TIMEOUT = 30.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 picks a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this: without it, a response written in two parts
        # waits for the client's delayed ACK, 40 ms a request on loopback.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(state: EngineState, log_level: str = "warning", *, in_kernel: bool = False) -> Any:
    """A uvicorn Server for the engine app (h11, no lifespan, no websockets).

    `in_kernel`: leave the process's logging configuration alone (uvicorn would otherwise
    give its loggers stderr handlers: a kernel's stderr is a notebook cell).
    """
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    config = uvicorn.Config(
        create_app(state),
        log_level=log_level,
        log_config=None if in_kernel else LOGGING_CONFIG,
        http="h11",
        ws="none",
        lifespan="off",
        access_log=log_level in ("debug", "trace", "info"),
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


def make_state(
    *,
    catalog_path: str | Path | None = None,
    catalog_paging: str = "full",
    page_size: int = 20,
    api_key: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    control: bool = False,
    synthesis_slots: int = DEFAULT_SLOTS,
) -> EngineState:
    """Engine state with the catalog from `catalog_path`, or the sample catalog."""
    catalog = load_catalog(catalog_path) if catalog_path else sample_records()
    return EngineState(
        api_key=api_key,
        catalog=catalog,
        catalog_is_sample=not catalog_path,
        catalog_paging=catalog_paging,
        page_size=page_size,
        max_upload_bytes=max_upload_bytes,
        control=control,
        synthesis_slots=synthesis_slots,
    )


def preload() -> None:
    """Load the speech and recognition models now rather than on first use."""
    from . import stt, tts

    tts.load_voice()
    stt.load_model(stt.MULTILINGUAL)  # joins Whisper base into the cache on first use
    stt.load_model(stt.ENGLISH)


class LocalEngine:
    """The built-in engine: CometAPI's audio wire format on 127.0.0.1, served in a thread.

    `control=True` also serves the /_engine/ endpoints (faults, latency, hits) over HTTP,
    for tests; the Python methods below (inject, set_latency, hits, ...) work either way.
    At most `synthesis_slots` speech requests are synthesised at once; others wait.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        catalog_path: str | Path | None = None,
        catalog_paging: str = "full",
        page_size: int = 20,
        api_key: str | None = None,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
        control: bool = False,
        synthesis_slots: int = DEFAULT_SLOTS,
    ) -> None:
        self.host = host
        self.port = port
        self.state = make_state(
            catalog_path=catalog_path,
            catalog_paging=catalog_paging,
            page_size=page_size,
            api_key=api_key,
            max_upload_bytes=max_upload_bytes,
            control=control,
            synthesis_slots=synthesis_slots,
        )
        self._lock = threading.Lock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"<LocalEngine {where}>"

    # lifecycle
    @property
    def running(self) -> bool:
        return bool(self._thread is not None and self._thread.is_alive() and self._server.started)

    @property
    def url(self) -> str:
        if not self.port:
            raise RuntimeError("the engine has no port yet: call start() first")
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def start(self) -> LocalEngine:
        """Start serving (idempotent); returns once the server accepts connections."""
        with self._lock:
            if self.running:
                return self
            sock = bind_socket(self.host, self.port)
            self.port = sock.getsockname()[1]
            server = make_server(self.state, in_kernel=True)
            thread = threading.Thread(
                target=server.run,
                kwargs={"sockets": [sock]},
                name=f"{IN_KERNEL_THREAD}{self.port}",  # how logs.py knows its log lines
                daemon=True,
            )
            self._server, self._thread, self._socket = server, thread, sock
            thread.start()
            deadline = time.monotonic() + _START_TIMEOUT
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    self._shutdown()
                    raise RuntimeError("the local engine failed to start")
                time.sleep(0.01)
            return self

    def stop(self) -> None:
        """Stop serving and wait for the server thread to end."""
        with self._lock:
            self._shutdown()

    def _shutdown(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
        self.state.synthesis.shutdown()  # its threads end; start() again makes new ones

    def __enter__(self) -> LocalEngine:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # control (the same state the /_engine/ endpoints use)
    def inject(
        self,
        path: str,
        status: int,
        *,
        count: int = 1,
        retry_after: float | str | None = None,
        retry_after_ms: float | str | None = None,
        latency: float = 0.0,
        truncate: bool = False,
        body: str | bytes | dict | list | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        error_code: str = "",
    ) -> Fault:
        """Make the next `count` requests to `path` fail (see Fault)."""
        return self.state.inject(
            path,
            status,
            count=count,
            retry_after=retry_after,
            retry_after_ms=retry_after_ms,
            latency=latency,
            truncate=truncate,
            body=body,
            content_type=content_type,
            headers=headers or {},
            error_code=error_code,
        )

    def set_latency(self, seconds: float) -> None:
        """Delay every /v1 and /api request by `seconds`."""
        self.state.set_latency(seconds)

    def hits(self, path: str | None = None) -> int | dict[str, int]:
        """Requests seen on `path`, or all counts as a dict (faulted requests included)."""
        return self.state.hits(path)

    def request_headers(self, path: str) -> list[list[str]]:
        """Header names (lower-case, never values) of the last requests to `path`."""
        return self.state.request_headers(path)

    def reset(self) -> None:
        """Clear faults, latency, hit counts and recorded headers."""
        self.state.reset()

    def preload(self) -> None:
        """Load the TTS and STT models now."""
        preload()


_engine: LocalEngine | None = None
_engine_lock = threading.Lock()
_atexit_registered = False


def get_engine() -> LocalEngine:
    """The process-wide engine, started on first use and stopped at exit."""
    global _engine, _atexit_registered
    with _engine_lock:
        if _engine is None or not _engine.running:
            _engine = LocalEngine().start()
        if not _atexit_registered:
            atexit.register(_stop_engine)
            _atexit_registered = True
        return _engine


def _stop_engine() -> None:
    engine = _engine
    if engine is not None:
        engine.stop()
