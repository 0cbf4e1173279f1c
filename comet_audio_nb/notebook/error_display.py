"""Errors in magics and panels as one or two clear lines, not a traceback wall.

``@friendly_errors`` turns a ``CometError`` (and a file-system error) raised inside a magic
into IPython's ``UsageError``, which notebooks show as ``UsageError: <message>`` with no
traceback. ``%config CometAudio.short_errors = False`` lets the original error through,
with its full traceback. Either way the key is never in the message.

>>> from IPython.core.magic import Magics, magics_class, line_magic
>>> @magics_class
... class MyMagics(Magics):
...     @line_magic
...     @friendly_errors
...     def my_magic(self, line):
...         ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from IPython.core.error import UsageError

from ..errors import CometError, scrub
from .session import get_defaults, settings

__all__ = ["error_sentence", "friendly_errors", "short_message"]

F = TypeVar("F", bound=Callable[..., Any])


def short_message(error: BaseException) -> str:
    """The error as one or two lines (what went wrong; what to do), with no key in it."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        text = f"{error.strerror}{where}"
    else:
        text = str(error) or type(error).__name__
    return scrub(text, _current_key())


def error_sentence(error: BaseException) -> str:
    """The first line of ``short_message`` (a panel's status line; the hint is left out)."""
    return short_message(error).strip().splitlines()[0].strip()


def _current_key() -> str | None:
    try:
        return settings().api_key
    except Exception:  # a message must come out even if the settings cannot be read
        return None


def friendly_errors(magic: F) -> F:
    """Decorate a magic so its errors are short ``UsageError`` lines (see module docs).

    Put it above ``@magic_arguments()``: the ``?`` help and the parser are kept.
    """

    @functools.wraps(magic)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return magic(*args, **kwargs)
        except (CometError, OSError) as error:
            if not get_defaults().short_errors:
                raise
            raise UsageError(short_message(error)) from None

    return wrapper  # type: ignore[return-value]
