"""What every streamed answer shares, blocking or asyncio: the ``with`` block, the reply's
end, closing, and what a failure after the first item becomes.

A stream sends its request on entering the ``with`` block (or at the first item); an
answer that did not stream (an error status is raised on entering; a plain answer where a
stream was asked) is handed out as one item. Once an item has been handed out nothing is
retried: a failure raises what ``_failed`` makes of it (a cut: ``APIConnectionError``
with what arrived on it), the connection is closed, and the call's record is written
with the outcome. Leaving the block early, or an interrupt, closes it too.

The kinds of stream (``speech_stream``, ``transcript_stream``) say what an item is:

- ``_opened(reply)``: the reply with its first chunk read (kept as ``self._reply``);
- ``_whole_item()``: the one item of an answer that did not stream, else None;
- ``_items()`` / ``_aitems()``: the items of a streamed answer, then its end checked;
- ``_failed(exc)``: what to raise for ``exc`` (an ``httpx`` error is a cut);
- ``_progress()``: a few words for the repr ("12,000 bytes").
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from .calls import Call, Reply


class Stream:
    """The call, the reply once sent, and whether (and how) the stream ended."""

    def __init__(self, client: Any, call: Call) -> None:
        self._client, self._call = client, call
        self._reply: Reply | None = None
        self._ended = False
        self.error: BaseException | None = None

    @property
    def complete(self) -> bool:  # pragma: no cover - each kind says
        raise NotImplementedError

    def _opened(self, reply: Reply) -> None:
        self._reply = reply

    def _whole_item(self) -> Any:
        return None

    def _failed(self, exc: BaseException) -> BaseException:
        self.error = exc
        return exc

    def _progress(self) -> str:
        return ""

    def _raised(self, exc: BaseException) -> BaseException:
        """What ends the stream for ``exc`` (a GeneratorExit is a close, not a failure)."""
        return exc if isinstance(exc, GeneratorExit) else self._failed(exc)

    def __repr__(self) -> str:
        state = "done" if self.complete else "open" if self._reply and not self._ended else "new"
        return f"<{type(self).__name__} {self._call.meta.get('model')} {state}{self._progress()}>"


class SyncStream(Stream):
    """A blocking stream: ``with`` and ``for``."""

    def __init__(self, client: Any, call: Call) -> None:
        super().__init__(client, call)
        self._iterator = self._generate()

    def __enter__(self) -> Any:
        self._open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        return self._iterator

    def close(self) -> None:
        """Stop reading and close the connection (nothing more is read or retried)."""
        self._iterator.close()
        if self._reply is not None and not self._ended:
            self._end(GeneratorExit())

    def _read_rest(self) -> None:
        if not self._ended:
            for _ in self._iterator:
                pass

    def _items(self) -> Iterator[Any]:  # pragma: no cover - each kind says
        raise NotImplementedError

    def _open(self) -> None:
        if self._reply is None:
            self._opened(self._client._send(self._call))

    def _generate(self) -> Iterator[Any]:
        self._open()
        whole = self._whole_item()
        if whole is not None:
            self._ended = True
            yield whole
            return
        try:
            yield from self._items()
        except BaseException as exc:
            error = self._raised(exc)
            self._end(error)
            if error is exc:
                raise
            raise error from None
        self._end(self._reply)

    def _end(self, outcome: Any) -> None:
        if self._ended or self._reply is None:
            return
        self._ended = True
        try:
            self._reply.response.close()
        finally:
            self._reply.end(outcome)


class AsyncStream(Stream):
    """An asyncio stream: ``async with`` and ``async for``."""

    def __init__(self, client: Any, call: Call) -> None:
        super().__init__(client, call)
        self._iterator = self._generate()

    async def __aenter__(self) -> Any:
        await self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterator

    async def aclose(self) -> None:
        """Stop reading and close the connection (nothing more is read or retried)."""
        await self._iterator.aclose()
        if self._reply is not None and not self._ended:
            await self._end(GeneratorExit())

    async def _read_rest(self) -> None:
        if not self._ended:
            async for _ in self._iterator:
                pass

    def _aitems(self) -> AsyncIterator[Any]:  # pragma: no cover - each kind says
        raise NotImplementedError

    async def _open(self) -> None:
        if self._reply is None:
            self._opened(await self._client._send(self._call))

    async def _generate(self) -> AsyncIterator[Any]:
        await self._open()
        whole = self._whole_item()
        if whole is not None:
            self._ended = True
            yield whole
            return
        items = self._aitems()
        try:
            async for item in items:
                yield item
        except BaseException as exc:
            error = self._raised(exc)
            await self._end(error)
            if error is exc:
                raise
            raise error from None
        finally:
            await items.aclose()
        await self._end(self._reply)

    async def _end(self, outcome: Any) -> None:
        if self._ended or self._reply is None:
            return
        self._ended = True
        try:
            if hasattr(self._reply.rest, "aclose"):
                await self._reply.rest.aclose()
            await self._reply.response.aclose()
        finally:
            self._reply.end(outcome)
