"""Errors in magics, panels and cells as one or two clear lines, not a traceback wall.

``@friendly_errors`` turns a ``CometError`` (and a file-system error) raised inside a magic
into IPython's ``UsageError``, which notebooks show as ``UsageError: <message>`` with no
traceback. ``install_short_errors`` (``%load_ext`` calls it) does the same for a
``CometError`` raised by Python code in a cell (``models()`` offline,
``CometClient().speech("")``), through IPython's custom exception hook:
``ValidationError: <message>`` and its hint. ``%config CometAudio.short_errors = False``
lets the original error through, with its full traceback. Either way the key is never in
the message.

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

__all__ = [
    "error_sentence",
    "friendly_errors",
    "install_short_errors",
    "remove_short_errors",
    "short_message",
]

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


def _show_comet_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset=None):
    """IPython's custom exception handler for ``CometError`` (``shell.set_custom_exc``)."""
    if not get_defaults().short_errors:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    message = short_message(value)
    # What a kernel sends (and a notebook saves) as the error's value: scrubbed too.
    shell._showtraceback(etype, message, f"{etype.__name__}: {message}".splitlines())
    return None


def install_short_errors(shell: Any) -> None:
    """Show a ``CometError`` raised by a cell in one or two lines (see the module docs);
    the hook it replaces comes back with ``remove_short_errors``."""
    if getattr(shell.CustomTB, "__func__", None) is _HOOKED.get(id(shell)):
        return  # already ours
    _SAVED[id(shell)] = (shell.custom_exceptions, shell.CustomTB)
    shell.set_custom_exc((CometError,), _show_comet_error)
    _HOOKED[id(shell)] = shell.CustomTB.__func__


def remove_short_errors(shell: Any) -> None:
    """Put back the custom exception hook ``install_short_errors`` replaced."""
    hooked = _HOOKED.pop(id(shell), None)
    saved = _SAVED.pop(id(shell), None)
    if hooked is None or getattr(shell.CustomTB, "__func__", None) is not hooked:
        return  # someone else's hook is in place now: leave it
    if saved is None:
        shell.set_custom_exc((), None)
    else:
        shell.custom_exceptions, shell.CustomTB = saved


# shell id -> our installed hook's function, and what it replaced
_HOOKED: dict[int, Any] = {}
_SAVED: dict[int, tuple[tuple, Any]] = {}
