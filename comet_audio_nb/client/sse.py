"""Server-Sent Events in a streamed answer: one JSON object per event, read with httpx-sse.

The service sends each event as a ``data:`` line holding a JSON object with a ``type``
(``speech.audio.delta``, ``transcript.text.done``, ...). ``[DONE]`` ends a stream, as
OpenAI-compatible servers may send it; events without data (keep-alives) are skipped; an
event holding an ``error`` object raises the matching error; anything else that is not a
JSON object is an ``InvalidResponseError`` naming the event.

>>> [event["type"] for event in body_events(b'data: {"type": "a"}\\n\\ndata: [DONE]\\n\\n')]
['a']
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent

from ..errors import InvalidResponseError, error_from_response, request_id_from
from .calls import Reply

_TYPE = re.compile(r'"type"\s*:\s*"([^"]{1,80})"')
_DONE = object()


def is_sse(headers: httpx.Headers | dict[str, str]) -> bool:
    return headers.get("content-type", "").lower().startswith("text/event-stream")


def events(reply: Reply, secret: Any = None) -> Iterator[dict[str, Any]]:
    """The events of a streamed ``reply`` as they arrive (its first chunk included)."""

    class Replay(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            if reply.body:
                yield reply.body
            yield from reply.rest

    source = EventSource(_replayed(reply, Replay()))
    for position, sse in enumerate(source.iter_sse(), start=1):
        data = event_data(sse, position, reply, secret)
        if data is _DONE:
            return
        if data is not None:
            yield data


async def aevents(reply: Reply, secret: Any = None) -> AsyncIterator[dict[str, Any]]:
    """``events`` for an async ``reply``."""

    class Replay(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            if reply.body:
                yield reply.body
            async for chunk in reply.rest:
                yield chunk

    source = EventSource(_replayed(reply, Replay()))
    position = 0
    async for sse in source.aiter_sse():
        position += 1
        data = event_data(sse, position, reply, secret)
        if data is _DONE:
            return
        if data is not None:
            yield data


def body_events(
    body: bytes, reply: Reply | None = None, secret: Any = None
) -> list[dict[str, Any]]:
    """The events of a whole SSE body (a call that was not streamed, answered as events)."""
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    found = []
    for position, sse in enumerate(EventSource(response).iter_sse(), start=1):
        data = event_data(sse, position, reply, secret)
        if data is _DONE:
            break
        if data is not None:
            found.append(data)
    return found


def event_data(sse: ServerSentEvent, position: int, reply: Reply | None, secret: Any = None) -> Any:
    """One event's JSON object; None for an event without data; ``_DONE`` for [DONE]."""
    text = sse.data.strip()
    if not text:
        return None
    if text == "[DONE]":
        return _DONE
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        named = _TYPE.search(text)
        name = named.group(1) if named else sse.event
        raise bad_event(f"event {position} ({name}) is not a JSON object: {text[:60]!r}", reply)
    if not isinstance(data.get("type"), str) and sse.event != "message":
        data["type"] = sse.event  # the name on an "event:" line, when the data has none
    if data.get("error") or data.get("type") == "error":
        status = reply.status if reply is not None else 200
        headers = reply.headers if reply is not None else {}
        error = data.get("error") or {"message": data.get("message") or "an error event"}
        body = json.dumps({"error": error}).encode()
        raise error_from_response(status, body, headers, secret=secret)
    return data


def bad_event(message: str, reply: Reply | None) -> InvalidResponseError:
    if reply is None:
        return InvalidResponseError(message)
    rid = request_id_from(reply.headers)
    return InvalidResponseError(message, status=reply.status, request_id=rid)


def _replayed(reply: Reply, stream: Any) -> httpx.Response:
    # Only the content type: the chunks are already decoded (no Content-Encoding twice).
    headers = {"content-type": reply.headers.get("content-type", "text/event-stream")}
    return httpx.Response(reply.status, headers=headers, stream=stream)
