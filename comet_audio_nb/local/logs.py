"""Where the engine's logs go: the `comet_audio_nb.local` logger, never a notebook cell.

In a kernel, stderr is the output of whatever cell runs next, so the in-kernel engine must
not print there: its own records (tracebacks of internal errors included) and what uvicorn
says about it all end up under `comet_audio_nb.local`, which has only a NullHandler. An
application that configures logging still sees them through the root logger, and
`comet-audio serve` attaches a stderr handler, as a server in a terminal should.
"""

from __future__ import annotations

import contextvars
import logging
import sys

LOGGER = "comet_audio_nb.local"
# Records uvicorn makes about an in-kernel engine are re-issued under this name.
SERVER_LOGGER = LOGGER + ".server"
# Threads of an in-kernel engine are named with this prefix (see LocalEngine.start).
IN_KERNEL_THREAD = "comet-audio-engine-"
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")

# Without any handler on the way to the root, logging's "last resort" writes warnings and
# errors to stderr: the NullHandler is what keeps them out of the cells.
logging.getLogger(LOGGER).addHandler(logging.NullHandler())

# Set while a response is deliberately cut short, so uvicorn's complaint about it is muted.
TRUNCATING: contextvars.ContextVar[bool] = contextvars.ContextVar("truncating", default=False)
_UNFINISHED = "ASGI callable returned without completing response."


class _EngineLogRouter(logging.Filter):
    """On uvicorn's loggers: mute deliberate truncations, divert the in-kernel engine's lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if TRUNCATING.get() and record.getMessage() == _UNFINISHED:
            return False
        if not (record.threadName or "").startswith(IN_KERNEL_THREAD):
            return True  # a stand-alone server, or someone else's uvicorn: leave it alone
        server = logging.getLogger(SERVER_LOGGER)
        if server.isEnabledFor(record.levelno):
            moved = logging.makeLogRecord(record.__dict__)
            moved.name = SERVER_LOGGER
            server.handle(moved)
        return False


ENGINE_LOG_ROUTER = _EngineLogRouter()


def install_log_router() -> None:
    """Put the router on uvicorn's loggers (idempotent)."""
    for name in _UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if ENGINE_LOG_ROUTER not in logger.filters:
            logger.addFilter(ENGINE_LOG_ROUTER)


def log_to_stderr(level: str) -> None:
    """Show the engine's own records on stderr (for `comet-audio serve`, not for kernels)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s:    %(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    logger.setLevel(level.upper())
