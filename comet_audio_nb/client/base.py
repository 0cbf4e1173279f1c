"""What both clients share: settings, building requests, reading replies, the retry decision.

``BaseClient`` does no I/O (as httpx's ``BaseClient``): ``CometClient`` and
``AsyncCometClient`` add only their sending loop, one blocking and one awaited, each the
one place its requests are retried.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import httpx

from .._version import __version__
from ..audio import AudioInput, prepare_upload
from ..config import Settings, resolve_settings
from ..constants import (
    CONNECT_TIMEOUT,
    GRANULARITIES,
    POOL_TIMEOUT,
    READ_TIMEOUT,
    SPEECH_FORMATS,
    TRANSCRIPT_FORMATS,
    WRITE_TIMEOUT,
)
from ..errors import (
    APIConnectionError,
    APITimeoutError,
    CometError,
    InvalidResponseError,
    ValidationError,
    error_from_response,
    error_object,
    looks_like_html,
    request_id_from,
    scrub,
)
from ..retry import RetryPolicy
from . import checks
from .calls import Call, CallRecord, Reply
from .launcher import local_engine_url


class BaseClient:
    """Settings, request building and reply reading, shared by the sync and async clients."""

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
        if max_retries is not None:
            checks.count("max_retries", max_retries)
        if max_upload_bytes is not None:
            checks.count("max_upload_bytes", max_upload_bytes, low=1)
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ValidationError(f"retry must be a RetryPolicy, not {type(retry).__name__}")
        self.settings: Settings = resolve_settings(
            api_key, base_url, max_retries=max_retries, max_upload_bytes=max_upload_bytes
        )
        self.retry = retry or RetryPolicy(max_retries=self.settings.max_retries)
        if retry is not None and max_retries is not None:
            self.retry = replace(retry, max_retries=max_retries)
        self.timeout = _timeout(timeout)
        self._headers = {"User-Agent": f"comet-audio-nb/{__version__}", **(default_headers or {})}
        self._engine_base_url: str | None = None
        self.call_hooks: list[Callable[[CallRecord], None]] = [on_call] if on_call else []

    def _copy_into(self, other: BaseClient) -> None:
        """Give ``other`` (a new client of either kind) this client's settings and hooks."""
        other.settings, other.retry, other.timeout = self.settings, self.retry, self.timeout
        other._headers = dict(self._headers)
        other._engine_base_url = self._engine_base_url
        other.call_hooks = self.call_hooks  # shared: both log to the same place

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
            self._engine_base_url = local_engine_url()
        return self._engine_base_url

    @property
    def catalog_url(self) -> str:
        """The public catalog beside the base URL. It needs no key, so with no key set
        it is still CometAPI's live catalog, not the built-in engine's sample."""
        return self.settings.catalog_url

    def _url(self, call: Call) -> str:
        if call.path.startswith(("http://", "https://")):
            return call.path
        return f"{self.base_url}/{call.path.lstrip('/')}"

    def _request(self, http: httpx.Client | httpx.AsyncClient, call: Call, stack: ExitStack):
        headers = dict(self._headers)
        if call.auth and self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key.get_secret_value()}"
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

    # -- the retry decision, the same in both loops ----------------------------------------
    def _retry_delay(self, call: Call, error: CometError, attempt: int, started) -> float:
        """Seconds to wait before sending ``call`` again; raises ``error`` when it is final."""
        if attempt >= self.retry.max_retries or not self.retry.should_retry(error):
            error.attempts = attempt + 1
            self._record(call, started, attempt + 1, error)
            raise error
        return self.retry.delay(attempt, getattr(error, "headers", None))

    def _record(
        self, call: Call, started: tuple[datetime, float], attempts: int, outcome: Any
    ) -> None:
        """Tell the call hooks how a request ended (``outcome``: a Reply or an error)."""
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
    ) -> Call:
        text = checks.speech_text(text)
        model, voice = checks.name("model", model), checks.name("voice", voice)
        response_format = checks.choice("response_format", response_format, SPEECH_FORMATS)
        instructions = checks.optional_text("instructions", instructions)
        body: dict[str, Any] = {
            "model": model,
            "input": text,
            "voice": voice,
            "response_format": response_format,
        }
        if speed is not None:
            body["speed"] = checks.speed(speed)
        if instructions:
            body["instructions"] = instructions
        return Call("POST", "audio/speech", json=body, meta=dict(body))

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
    ) -> Call:
        model = checks.name("model", model)
        language = checks.optional_text("language", language)
        prompt = checks.optional_text("prompt", prompt)
        if filename is not None and not isinstance(filename, str):
            raise ValidationError(f"filename must be a string, not {type(filename).__name__}")
        grains = (
            [timestamp_granularities]
            if isinstance(timestamp_granularities, str)
            else list(timestamp_granularities or ())
        )
        for grain in grains:
            checks.choice("timestamp_granularities", grain, GRANULARITIES)
        if response_format is None:
            response_format = "verbose_json" if grains else "json"
        response_format = checks.choice("response_format", response_format, TRANSCRIPT_FORMATS)
        if grains and response_format != "verbose_json":
            raise ValidationError(
                "timestamps come only with response_format='verbose_json'",
                hint="drop response_format, or set it to 'verbose_json'",
            )
        if temperature is not None:
            temperature = checks.number("temperature", temperature, 0, 1)
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
        return Call("POST", path, data=form, upload=upload, meta=meta)

    # -- reading ------------------------------------------------------------------------

    # -- reading ------------------------------------------------------------------------
    def _raise_for(self, reply: Reply) -> None:
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

    def _speech_result(self, call: Call, reply: Reply):
        from ..results import Speech

        content_type = reply.headers.get("content-type", "")
        if not reply.body:
            raise invalid(reply, "the speech response was empty")
        if content_type and not content_type.startswith(("audio/", "application/octet-stream")):
            raise invalid(reply, f"expected audio, got {content_type}")
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

    def _transcript_result(self, call: Call, reply: Reply):
        from ..results import parse_transcription

        meta = call.meta
        try:
            transcript = parse_transcription(
                reply.body,
                content_type=reply.headers.get("content-type"),
                response_format=meta["response_format"],
                task=meta["task"],
            )
        except ValueError as exc:
            raise invalid(reply, str(exc)) from None
        transcript.model = meta["model"]
        transcript.request_id = request_id_from(reply.headers)
        transcript.elapsed = reply.elapsed
        transcript.source = meta["source"]
        return transcript

    def _reply(self, response: httpx.Response, started: float) -> Reply:
        reply = Reply(
            response.status_code, response.headers, response.content, time.perf_counter() - started
        )
        self._raise_for(reply)
        return reply

    def _transport_error(self, exc: httpx.HTTPError) -> CometError:
        text = scrub(str(exc) or type(exc).__name__, self.settings.api_key)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"no answer in time ({text})")
        if isinstance(exc, httpx.UnsupportedProtocol):
            return ValidationError(f"the base URL is not an http(s) URL ({text})")
        return APIConnectionError(f"the connection failed ({text})")

    def __repr__(self) -> str:
        s = self.settings
        where = "built-in engine" if self.uses_local_engine else s.base_url
        return f"{type(self).__name__}(key={s.masked_key}, base_url={where!r})"


def started_now() -> tuple[datetime, float]:
    return datetime.now(timezone.utc), time.perf_counter()


def invalid(reply: Reply, message: str) -> InvalidResponseError:
    return InvalidResponseError(
        message, status=reply.status, request_id=request_id_from(reply.headers)
    )


def _timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """Waiting for a free connection of the pool has no limit of its own (``pool=None``):
    a burst of requests queues for connections instead of failing as "timeouts" before
    they were ever sent; each request's own connect/read/write limits still apply."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(
            READ_TIMEOUT, connect=CONNECT_TIMEOUT, write=WRITE_TIMEOUT, pool=POOL_TIMEOUT
        )
    timeout = checks.seconds("timeout", timeout)
    return httpx.Timeout(
        timeout, connect=min(timeout, CONNECT_TIMEOUT), write=timeout, pool=POOL_TIMEOUT
    )
