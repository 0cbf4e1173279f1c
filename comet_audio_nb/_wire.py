"""The wire format: building CometAPI requests and reading their answers.

Shared by ``CometClient`` and ``AsyncCometClient``, whose only own code is the sending
loop (blocking or awaited) around ``_Calls``.
"""

from __future__ import annotations

import json
import math
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx

from . import __version__
from .audio import AudioInput, Upload, prepare_upload
from .config import (
    CONNECT_TIMEOUT,
    MAX_SPEECH_CHARS,
    POOL_TIMEOUT,
    READ_TIMEOUT,
    WRITE_TIMEOUT,
    Settings,
    resolve_settings,
)
from .errors import (
    APIConnectionError,
    APITimeoutError,
    CometError,
    EngineUnavailableError,
    InvalidResponseError,
    ValidationError,
    error_from_response,
    error_object,
    looks_like_html,
    request_id_from,
    scrub,
)
from .retry import RetryPolicy

SPEECH_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
TRANSCRIPT_FORMATS = ("json", "text", "srt", "verbose_json", "vtt")
GRANULARITIES = ("segment", "word")
# OpenAI's voice names, which CometAPI passes through. The API has no voice list to ask,
# so this is what widgets suggest and the built-in engine speaks; other names still go out.
VOICES: tuple[str, ...] = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer",
    "verse", "marin", "cedar",
)  # fmt: skip
DEFAULT_SPEECH_MODEL = "tts-1"
DEFAULT_VOICE = "alloy"
DEFAULT_TRANSCRIBE_MODEL = "whisper-1"
CATALOG_PAGE_CONCURRENCY = 8
LOCAL_ENGINE_NOTICE = (
    "no COMETAPI_KEY: using the built-in offline engine; "
    "set the key or run %comet_login to use CometAPI"
)
_notice_lock = threading.Lock()
_notice_shown = False


def _say_local_engine_once() -> None:
    global _notice_shown
    with _notice_lock:
        if not _notice_shown:
            _notice_shown = True
            print(LOCAL_ENGINE_NOTICE, file=sys.stderr)


@dataclass
class _Call:
    """One request, described so that either client can send it (and send it again)."""

    method: str
    path: str  # relative to the base URL, or absolute for the catalog
    json: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    upload: Upload | None = None
    params: dict[str, Any] | None = None
    auth: bool = True
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallRecord:
    """One finished request, for the call log (``%comet_log``) and cost estimates."""

    time: datetime  # when it started, UTC
    endpoint: str  # "audio/speech", "audio/transcriptions", "api/models", ...
    model: str | None
    input_size: int | None  # characters of text spoken, or bytes uploaded
    status: int | None  # the last HTTP status (None: no answer)
    ok: bool
    attempts: int
    elapsed: float  # seconds, all attempts and waits included
    request_id: str | None = None
    error: str | None = None  # the error's class and message, one line


@dataclass
class _Reply:
    status: int
    headers: httpx.Headers
    body: bytes
    elapsed: float


class _Calls:
    """Request building and response reading, shared by the sync and async clients."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        max_upload_bytes: int | None = None,
        default_headers: dict[str, str] | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
    ) -> None:
        self.settings: Settings = resolve_settings(
            api_key, base_url, max_retries=max_retries, max_upload_bytes=max_upload_bytes
        )
        self.retry = retry or RetryPolicy(max_retries=self.settings.max_retries)
        if retry is not None and max_retries is not None:
            self.retry = RetryPolicy(**{**retry.__dict__, "max_retries": max_retries})
        self.timeout = (
            timeout
            if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(
                timeout if timeout is not None else READ_TIMEOUT,
                connect=CONNECT_TIMEOUT if timeout is None else min(timeout, CONNECT_TIMEOUT),
                write=WRITE_TIMEOUT if timeout is None else timeout,
                pool=POOL_TIMEOUT,
            )
        )
        self._headers = {"User-Agent": f"comet-audio-nb/{__version__}", **(default_headers or {})}
        self._engine_base_url: str | None = None
        self.call_hooks: list[Callable[[CallRecord], None]] = [on_call] if on_call else []

    # -- where requests go ------------------------------------------------------------
    @property
    def uses_local_engine(self) -> bool:
        """True when there is no key and no base URL: the built-in engine answers."""
        s = self.settings
        return s.api_key is None and s.base_url_source == "default"

    @property
    def base_url(self) -> str:
        if not self.uses_local_engine:
            return self.settings.base_url
        if self._engine_base_url is None:
            try:
                from .local import get_engine
            except ImportError as exc:
                raise EngineUnavailableError(
                    "no API key is set and the offline engine is not installed"
                ) from exc
            self._engine_base_url = get_engine().base_url
            _say_local_engine_once()
        return self._engine_base_url

    @property
    def catalog_url(self) -> str:
        """The public catalog beside the base URL. It needs no key, so with no key set
        it is still CometAPI's live catalog, not the built-in engine's sample."""
        return self.settings.catalog_url

    def _url(self, call: _Call) -> str:
        if call.path.startswith(("http://", "https://")):
            return call.path
        return f"{self.base_url}/{call.path.lstrip('/')}"

    def _request(self, http: httpx.Client | httpx.AsyncClient, call: _Call, stack: ExitStack):
        headers = dict(self._headers)
        if call.auth and self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        files = None
        if call.upload is not None:
            stream = stack.enter_context(call.upload.open())
            files = {"file": call.upload.as_file_field(stream)}
        return http.build_request(
            call.method,
            self._url(call),
            headers=headers,
            json=call.json,
            data=call.data,
            files=files,
            params=call.params,
        )

    def _record(
        self, call: _Call, started: tuple[datetime, float], attempts: int, outcome: Any
    ) -> None:
        """Tell the call hooks how a request ended (``outcome``: a _Reply or an error)."""
        if not self.call_hooks:
            return
        error = outcome if isinstance(outcome, CometError) else None
        request_id = error.request_id if error else request_id_from(outcome.headers)
        meta = call.meta
        size = meta.get("size") if "size" in meta else len(meta.get("input") or "") or None
        record = CallRecord(
            time=started[0],
            endpoint="api/models" if call.path.endswith("/api/models") else call.path,
            model=meta.get("model"),
            input_size=size,
            status=getattr(outcome, "status", None),
            ok=error is None,
            attempts=attempts,
            elapsed=time.perf_counter() - started[1],
            request_id=request_id,
            error=f"{type(error).__name__}: {error.message}" if error else None,
        )
        for hook in self.call_hooks:
            try:
                hook(record)
            except Exception as exc:  # a broken hook must not break the call
                warnings.warn(f"call hook {hook!r} failed: {exc}", stacklevel=2)

    # -- building -----------------------------------------------------------------------
    def _speech_call(
        self,
        text: str,
        *,
        model: str,
        voice: str,
        response_format: str,
        speed: float | None,
        instructions: str | None,
    ) -> _Call:
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("there is no text to speak", hint="pass a non-empty string")
        if len(text) > MAX_SPEECH_CHARS:
            raise ValidationError(
                f"the text is {len(text):,} characters; one request takes at most "
                f"{MAX_SPEECH_CHARS:,}",
                hint=(
                    "split it at sentences: client.speech_long(text) does that and joins the audio"
                ),
            )
        _require_name("model", model)
        _require_name("voice", voice)
        response_format = _choice("response_format", response_format, SPEECH_FORMATS)
        body: dict[str, Any] = {
            "model": model,
            "input": text,
            "voice": voice,
            "response_format": response_format,
        }
        if speed is not None:
            if not isinstance(speed, (int, float)) or not 0.25 <= speed <= 4.0:
                raise ValidationError(f"speed {speed!r} is out of range: use 0.25 to 4.0")
            body["speed"] = float(speed)
        if instructions:
            body["instructions"] = instructions
        return _Call("POST", "audio/speech", json=body, meta=dict(body))

    def _audio_call(
        self,
        task: str,
        audio: AudioInput,
        *,
        model: str,
        language: str | None,
        prompt: str | None,
        response_format: str | None,
        temperature: float | None,
        timestamp_granularities: Sequence[str] | None,
        filename: str | None,
    ) -> _Call:
        _require_name("model", model)
        grains = (
            [timestamp_granularities]
            if isinstance(timestamp_granularities, str)
            else list(timestamp_granularities or ())
        )
        for grain in grains:
            _choice("timestamp_granularities", grain, GRANULARITIES)
        if response_format is None:
            response_format = "verbose_json" if grains else "json"
        response_format = _choice("response_format", response_format, TRANSCRIPT_FORMATS)
        if grains and response_format != "verbose_json":
            raise ValidationError(
                "timestamps come only with response_format='verbose_json'",
                hint="drop response_format, or set it to 'verbose_json'",
            )
        if temperature is not None and not 0 <= temperature <= 1:
            raise ValidationError(f"temperature {temperature!r} is out of range: use 0 to 1")
        upload = prepare_upload(audio, max_bytes=self.settings.max_upload_bytes, filename=filename)
        form: dict[str, Any] = {"model": model, "response_format": response_format}
        for name, value in (("language", language), ("prompt", prompt)):
            if value:
                form[name] = value
        if temperature is not None:
            form["temperature"] = str(temperature)
        if grains:
            form["timestamp_granularities[]"] = grains
        path = "audio/transcriptions" if task == "transcribe" else "audio/translations"
        meta = {**form, "task": task, "source": upload.filename, "size": upload.size}
        return _Call("POST", path, data=form, upload=upload, meta=meta)

    # -- reading ------------------------------------------------------------------------
    def _raise_for(self, reply: _Reply) -> None:
        """Raise the matching error for a failed answer (including a 200 with an error)."""
        content_type = reply.headers.get("content-type", "")
        failed = not 200 <= reply.status < 300
        if not failed and ("json" in content_type or reply.body[:1] == b"{"):
            failed = error_object(reply.body) is not None
        if not failed and looks_like_html(reply.body, content_type):
            failed = True
        if failed:
            raise error_from_response(
                reply.status, reply.body, reply.headers, secret=self.settings.api_key
            )

    def _speech_result(self, call: _Call, reply: _Reply):
        from .results import Speech

        content_type = reply.headers.get("content-type", "")
        if not reply.body:
            raise _invalid(reply, "the speech response was empty")
        if content_type and not content_type.startswith(("audio/", "application/octet-stream")):
            raise _invalid(reply, f"expected audio, got {content_type}")
        meta = call.meta
        return Speech(
            data=reply.body,
            format=meta["response_format"],
            content_type=content_type or "application/octet-stream",
            model=meta["model"],
            voice=meta["voice"],
            text=meta["input"],
            speed=meta.get("speed"),
            instructions=meta.get("instructions"),
            request_id=request_id_from(reply.headers),
            elapsed=reply.elapsed,
        )

    def _transcript_result(self, call: _Call, reply: _Reply):
        from .results import parse_transcription

        meta = call.meta
        try:
            transcript = parse_transcription(
                reply.body,
                content_type=reply.headers.get("content-type"),
                response_format=meta["response_format"],
                task=meta["task"],
            )
        except ValueError as exc:
            raise _invalid(reply, str(exc)) from None
        transcript.model = meta["model"]
        transcript.request_id = request_id_from(reply.headers)
        transcript.elapsed = reply.elapsed
        transcript.source = meta["source"]
        return transcript

    def _catalog_page(self, reply: _Reply) -> dict[str, Any]:
        try:
            envelope = json.loads(reply.body)
        except ValueError:
            raise _invalid(reply, "the model catalog is not JSON") from None
        if isinstance(envelope, list):  # a bare list: be liberal
            envelope = {"success": True, "data": envelope}
        if not isinstance(envelope, dict) or envelope.get("success") is False:
            message = envelope.get("message") if isinstance(envelope, dict) else None
            raise _invalid(reply, f"the catalog reported a failure: {message or 'no message'}")
        if not isinstance(envelope.get("data"), list):
            raise _invalid(reply, "the catalog's 'data' is not a list")
        return envelope

    def _catalog_rest(self, first: dict[str, Any]) -> list[_Call]:
        """The calls for the pages still missing after the first one (none if unpaged)."""
        page, size, total = (_int(first.get(k)) for k in ("page", "page_size", "total"))
        got = len(first["data"])
        if not page or not total or got >= total:
            return []
        size = size or got
        if not size:
            return []
        pages = range(page + 1, math.ceil(total / size) + 1)
        return [
            _Call("GET", self.catalog_url, params={"page": p, "page_size": size}, auth=False)
            for p in pages
        ]

    def _catalog_records(self, pages: Iterable[dict[str, Any]]):
        from .catalog import parse_records

        items = [item for envelope in pages for item in envelope["data"]]
        records, problems = parse_records(items)
        self.catalog_problems = problems
        return records

    def _model_list(self, reply: _Reply) -> list[dict[str, Any]]:
        try:
            data = json.loads(reply.body)
        except ValueError:
            raise _invalid(reply, "the model list is not JSON") from None
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise _invalid(reply, "the model list has no 'data' list")
        return [item for item in items if isinstance(item, dict) and item.get("id")]

    def _catalog_call(self) -> _Call:
        return _Call("GET", self.catalog_url, auth=False)

    def __repr__(self) -> str:
        s = self.settings
        where = "built-in engine" if self.uses_local_engine else s.base_url
        return f"{type(self).__name__}(key={s.masked_key}, base_url={where!r})"


def _started() -> tuple[datetime, float]:
    return datetime.now(timezone.utc), time.perf_counter()


def _require_name(what: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"no {what} given", hint=f"pass {what}='...'")


def _choice(what: str, value: Any, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValidationError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value.lower()


def _catalog_pages(first: dict[str, Any], rest: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The catalog's page envelopes in order: the first, then the others that hold data."""
    return [first, *[page for page in rest if page["data"]]]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _invalid(reply: _Reply, message: str) -> InvalidResponseError:
    return InvalidResponseError(
        message, status=reply.status, request_id=request_id_from(reply.headers)
    )


def _transport_error(exc: httpx.HTTPError, secret: str | None) -> CometError:
    text = scrub(str(exc) or type(exc).__name__, secret)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"no answer in time ({text})")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return ValidationError(f"the base URL is not an http(s) URL ({text})")
    return APIConnectionError(f"the connection failed ({text})")
