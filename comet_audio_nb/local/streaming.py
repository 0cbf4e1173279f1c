"""What the streamed answers share: Server-Sent Events, and a response that always cleans up."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Awaitable, Callable

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from .apierror import ApiError, error_body

SSE_MEDIA_TYPE = "text/event-stream"
SSE_HEADERS = {"Cache-Control": "no-cache"}


def sse_event(event: dict) -> bytes:
    """One event: its JSON on one ``data:`` line, then the blank line that ends it.

    >>> sse_event({"type": "speech.audio.done"})
    b'data: {"type":"speech.audio.done"}\\n\\n'
    """
    # json.dumps escapes every line break inside strings, so the event stays one line.
    return b"data: " + json.dumps(event, separators=(",", ":")).encode() + b"\n\n"


def sse_error(exc: BaseException) -> bytes:
    """An error event for a failure after the 200 went out (what the openai SDK raises on)."""
    if isinstance(exc, ApiError):
        body = error_body(exc.message, param=exc.param, code=exc.code)
    else:
        body = error_body(f"Internal error in the local engine: {type(exc).__name__}")
    return sse_event({"type": "error", **body})


class StreamedResponse(StreamingResponse):
    """A StreamingResponse that awaits ``on_close`` however it ends: sent to the end,
    failed, or cut short by a client that went away (Starlette then cancels the sending)."""

    def __init__(
        self,
        content: AsyncIterable[bytes],
        *,
        on_close: Callable[[], Awaitable[None]],
        media_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._on_close()
