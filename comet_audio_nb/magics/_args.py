"""Argument handling shared by the magics: options before free text, ``{name}``, ``-o VAR``.

``magic_arguments`` gives each magic its ``?`` help and its parser. Text to speak is not
shell syntax (``it's`` has an unbalanced quote), so magics that take free text read their
options from the front of the line only and keep the rest exactly as typed::

    %comet_say --voice nova -o hi It's "quoted" and {name} is filled in
"""

from __future__ import annotations

import argparse
import contextlib
import json
import keyword
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic_arguments import parse_argstring
from IPython.utils.text import FullEvalFormatter

from ..notebook.error_display import short_message

__all__ = ["extra_params", "interpolate", "parse_args", "save_to", "split_options", "store"]

_SPACE = re.compile(r"\s*")
_WORD = re.compile(r"\S+")
# --name, --name=value, -x: an option only when a letter follows the dash(es)
_OPTION = re.compile(r"--?[A-Za-z][\w-]*(?:=(?:\"[^\"]*\"|'[^']*'|\S*))?(?=\s|$)")


def parse_args(magic: Callable[..., Any], line: str) -> argparse.Namespace:
    """Parse a whole line with the magic's ``magic_arguments`` parser (shell-like quoting).

    Bad options raise ``UsageError`` naming the problem and the magic's usage line.
    """
    try:
        return parse_argstring(magic, line)
    except ValueError as exc:  # shlex: "No closing quotation"
        raise UsageError(f"{exc} in {line!r}") from None


def split_options(magic: Callable[..., Any], line: str) -> tuple[argparse.Namespace, str]:
    """Options from the front of ``line``, parsed; and the rest of the line, untouched.

    The text starts at the first word that is not an option (or after ``--``). A word
    that looks like an option but is none of the magic's (``-ing``, ``--foo``) is an
    error rather than a guess: text that begins with a dash goes after ``--``.

    >>> from IPython.core.magic_arguments import argument, magic_arguments
    >>> @magic_arguments()
    ... @argument("--voice")
    ... def say(line): ...
    >>> args, text = split_options(say, "--voice nova It's me")
    >>> args.voice, text
    ('nova', "It's me")
    """
    parser = magic.parser
    tokens: list[str] = []
    position = 0
    while True:
        position = _SPACE.match(line, position).end()
        if position >= len(line):
            break
        after = line[position + 2 : position + 3]
        if line.startswith("--", position) and (not after or after.isspace()):
            position += 2  # "--": everything after it is text
            break
        match = _OPTION.match(line, position)
        if not match:
            break
        token = match.group()
        option = token.split("=", 1)[0]
        action = parser._option_string_actions.get(option)
        if action is None:
            # argparse would read "-ing" as "-i ng" and "--inst" as "--instructions":
            # a short option never swallows the rest of a word, and names are exact.
            raise UsageError(
                f"unknown option {option!r}; to say text that begins with a dash, put -- "
                f"before it: %{_magic_name(magic)} -- {line[position:].strip()}"
            )
        tokens.append(token)
        position = match.end()
        if action is not None and action.nargs != 0 and "=" not in token:
            value, position = _value(line, position)
            if value is not None:
                tokens.append(value)
    args = parser.parse_args(tokens)  # MagicArgumentParser raises UsageError itself
    return args, line[position:].strip()


def _magic_name(magic: Callable[..., Any]) -> str:
    return getattr(magic, "__name__", "magic")


def _value(line: str, position: int) -> tuple[str | None, int]:
    """The option value at ``position``: one word, or a quoted string."""
    position = _SPACE.match(line, position).end()
    if position >= len(line):
        return None, position
    quote = line[position]
    if quote in "'\"":
        end = line.find(quote, position + 1)
        if end < 0:
            raise UsageError(f"no closing {quote} in {line[position:]!r}")
        return line[position + 1 : end], end + 1
    match = _WORD.match(line, position)
    return match.group(), match.end()


_BRACES = FullEvalFormatter()
_DOLLAR_NAME = re.compile(r"\$([A-Za-z_]\w*)")


def interpolate(text: str, namespace: Mapping[str, Any]) -> str:
    """Fill in ``{expression}`` and ``$name`` from ``namespace``, as IPython does for lines,
    except that ``$`` is only followed by a variable name: ``$5`` stays money, not ``5.0``.

    Braces that do not format (an unknown name, a lone brace) are left as typed, and so
    is a ``$word`` that is not a variable.

    >>> interpolate("Hello {name}, that is ${price}, $5 or $name", {"name": "Ada", "price": 5})
    'Hello Ada, that is $5, $5 or Ada'
    >>> interpolate("Keep {unknown} and $HOME as typed", {})
    'Keep {unknown} and $HOME as typed'
    """
    if "{" in text:
        with contextlib.suppress(Exception):  # the same leniency as IPython's var_expand
            text = _BRACES.vformat(text, args=[], kwargs=dict(namespace))
    return _DOLLAR_NAME.sub(lambda m: str(namespace[m[1]]) if m[1] in namespace else m[0], text)


def store(shell: Any, name: str | None, value: Any) -> None:
    """``-o NAME``: put ``value`` in the user's namespace under ``NAME``."""
    if not name:
        return
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"-o {name!r}: give a Python variable name")
    shell.user_ns[name] = value


PARAM_HELP = (
    "a request parameter this package has no option for, KEY=VALUE (repeatable; VALUE "
    "is read as JSON when it parses, else as text): --param chunking_strategy=auto"
)


def extra_params(pairs: list[str] | None) -> dict[str, Any] | None:
    """``--param key=value`` options as an ``extra_body`` dict (None when there are none).

    >>> extra_params(["speed=1.5", 'include=["logprobs"]', "note=hello there"])
    {'speed': 1.5, 'include': ['logprobs'], 'note': 'hello there'}
    """
    if not pairs:
        return None
    body: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param {pair!r}: write it as KEY=VALUE, e.g. --param speed=1.5")
        try:
            body[key.strip()] = json.loads(value)
        except ValueError:
            body[key.strip()] = value
    return body


def save_to(value: Any, path: str) -> Path:
    """``-s PATH``: ``value.save(PATH)`` with its folders made; a failure is one line."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return value.save(target)
    except OSError as exc:
        raise UsageError(f"cannot save to {path}: {short_message(exc)}") from None
