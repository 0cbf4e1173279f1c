"""What both clients share: settings, building requests, reading replies, the retry decision.

``BaseClient`` does no I/O (as httpx's ``BaseClient``): ``CometClient`` and
``AsyncCometClient`` add only their sending loop, one blocking and one awaited, each the
one place its requests are retried.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import httpx

from .._version import __version__
from ..audio import AudioInput
from ..config import Settings, resolve_settings
from ..constants import CONNECT_TIMEOUT, POOL_TIMEOUT, READ_TIMEOUT, WRITE_TIMEOUT
from ..errors import (
    STREAM_CUT_HINT,
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
from . import building, checks, sse
from .calls import Call, CallRecord, Reply
from .hints import refusal_hint
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
        headers.update(call.headers or {})
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
        self,
        call: Call,
        started: tuple[datetime, float],
        attempts: int,
        outcome: Any,
        status: int | None = None,
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
            status=getattr(outcome, "status", None) or status,
            ok=error is None,
            attempts=attempts,
            elapsed=time.perf_counter() - started[1],
            request_id=request_id,
            error=f"{type(error).__name__}: {error.message}" if error else None,
            usage=None if error else reply_usage(outcome),
            streamed=bool(call.stream),
        )
        self._tell(record)

    def _record_stream(
        self, call: Call, started: tuple[datetime, float], attempts: int, reply: Reply, end: Any
    ) -> None:
        """A streamed request is over (``end``: the reply, or what stopped it): one record."""
        if isinstance(end, GeneratorExit):
            end = APIConnectionError("closed by the caller before the end")
        elif end is not reply and not isinstance(end, CometError):
            end = APIConnectionError(f"interrupted before the end ({type(end).__name__})")
        if isinstance(end, CometError) and end.request_id is None:
            end.request_id = request_id_from(reply.headers)
        self._record(call, started, attempts, end, status=reply.status)

    def _tell(self, record: CallRecord) -> None:
        for hook in self.call_hooks:
            try:
                hook(record)
            except Exception as exc:  # a broken hook must not break the call
                warnings.warn(f"call hook {hook!r} failed: {exc}", stacklevel=3)

    # -- building (client/building.py) ---------------------------------------------------
    def _speech_call(self, text: str, **options: Any) -> Call:
        return building.speech_call(text, **options)

    def _audio_call(self, task: str, audio: AudioInput, **options: Any) -> Call:
        max_bytes = self.settings.max_upload_bytes
        return building.audio_call(task, audio, max_upload_bytes=max_bytes, **options)

    # -- reading ------------------------------------------------------------------------
    def _raise_for(self, reply: Reply, call: Call | None = None) -> None:
        """Raise the matching error for a failed answer (including a 200 with an error);
        a refusal of a known incompatibility gets the hint that names the fix."""
        content_type = reply.headers.get("content-type", "")
        failed = not 200 <= reply.status < 300
        if not failed and ("json" in content_type or reply.body[:1] == b"{"):
            failed = error_object(reply.body) is not None
        if not failed and looks_like_html(reply.body, content_type):
            failed = True
        if failed:
            raise explained(
                error_from_response(
                    reply.status, reply.body, reply.headers, secret=self.settings.api_key
                ),
                call,
            )

    def _speech_result(self, call: Call, reply: Reply):
        from ..results import Speech
        from .speech_stream import SpeechParts

        content_type = reply.headers.get("content-type", "")
        if sse.is_sse(reply.headers):  # events where bytes were expected: decode them
            parts = SpeechParts(call, reply)
            for data in sse.body_events(reply.body, reply, self.settings.api_key):
                parts.event(data)
            parts.finish()
            return parts.speech()
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
        transcript.headers = dict(reply.headers)
        return transcript

    def _reply(self, response: httpx.Response, started: float, call: Call) -> Reply:
        reply = Reply(
            response.status_code, response.headers, response.content, time.perf_counter() - started
        )
        self._raise_for(reply, call)
        return reply

    @staticmethod
    def _streams(call: Call, response: httpx.Response) -> bool:
        """Whether this answer is read as it arrives: a success of a streamed content type
        (anything else, an error or a plain JSON transcript, is read whole)."""
        if not call.stream or not 200 <= response.status_code < 300:
            return False
        content_type = response.headers.get("content-type", "").lower()
        return content_type.startswith(call.stream)

    @staticmethod
    def _open_reply(response: httpx.Response, first: bytes, rest: Any, started: float) -> Reply:
        """A streamed answer whose first chunk is in: nothing has reached the caller yet,
        so everything up to here is one attempt of the retry loop."""
        elapsed = time.perf_counter() - started
        return Reply(response.status_code, response.headers, first, elapsed, response, rest)

    def _cut_off(self, exc: httpx.HTTPError, received: int, unit: str = "bytes") -> CometError:
        """The error for a stream that broke after data reached the caller (not retried)."""
        text = scrub(str(exc) or type(exc).__name__, self.settings.api_key)
        hint = STREAM_CUT_HINT
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"the stream stalled after {received:,} {unit} ({text})", hint=hint
            )
        return APIConnectionError(
            f"the stream was cut off after {received:,} {unit} ({text})", hint=hint
        )

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


def reply_usage(reply: Reply) -> dict[str, Any] | None:
    """What the service says it used: set by a stream, or the ``usage`` of a JSON body."""
    if reply.usage is not None or reply.streamed:
        return reply.usage
    if b'"usage"' not in reply.body or "json" not in reply.headers.get("content-type", ""):
        return None
    try:
        usage = json.loads(reply.body).get("usage")
    except (ValueError, AttributeError):
        return None
    return usage if isinstance(usage, dict) else None


def explained(error: CometError, call: Call | None) -> CometError:
    """``error`` with the hint that names the fix, when it refuses a known incompatibility."""
    hint = refusal_hint(call.meta, error) if call is not None else None
    if hint:
        error.hint = hint
    return error


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
