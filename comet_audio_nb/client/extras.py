"""Parameters the client does not know yet: ``extra_body``, ``extra_headers``, ``extra_query``.

Every call takes them, so a parameter the service gains tomorrow needs no release. They
are merged as the openai SDK merges them: ``extra_body`` over the JSON body (its keys
win), or into a multipart form with lists as repeated ``name[]`` fields and objects
flattened as ``name[key]`` fields; booleans are sent as ``true`` / ``false`` and ``None``
is left out.

>>> form_fields({"include": ["logprobs"], "chunking_strategy": {"type": "server_vad"}})
{'include[]': ['logprobs'], 'chunking_strategy[type]': 'server_vad'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError
from .calls import Call


def checked(what: str, value: Any) -> dict[str, Any]:
    """``value`` as a dict with string keys (None: empty), or a ValidationError."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(f"{what} must be a dict, not {type(value).__name__}")
    for key in value:
        if not isinstance(key, str) or not key:
            raise ValidationError(f"{what} keys must be non-empty strings, not {key!r}")
    return dict(value)


def header_values(extra_headers: Any) -> dict[str, str]:
    headers = checked("extra_headers", extra_headers)
    for name, value in headers.items():
        if not isinstance(value, str):
            raise ValidationError(f"extra_headers[{name!r}] must be a string, not {value!r}")
    return headers


def form_fields(extra: Mapping[str, Any]) -> dict[str, Any]:
    """``extra`` as multipart form fields (a list value: the field repeated)."""
    fields: dict[str, Any] = {}
    for key, value in extra.items():
        for name, text in _flatten(key, value):
            if name in fields and name.endswith("[]"):
                fields[name] = [*_as_list(fields[name]), text]
            else:
                fields[name] = [text] if name.endswith("[]") else text
    return fields


def _flatten(key: str, value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [pair for k, v in value.items() for pair in _flatten(f"{key}[{k}]", v)]
    if isinstance(value, (list, tuple)):
        name = key if key.endswith("[]") else f"{key}[]"
        return [pair for item in value for pair in _flatten(name, item)]
    if isinstance(value, bool):
        return [(key, "true" if value else "false")]
    return [(key, str(value))]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def apply(
    call: Call, *, extra_body: Any = None, extra_headers: Any = None, extra_query: Any = None
) -> Call:
    """``call`` with the extras merged in (the caller's keys win over ours)."""
    body = checked("extra_body", extra_body)
    query = checked("extra_query", extra_query)
    headers = header_values(extra_headers)
    if body:
        if call.data is not None or call.upload is not None:
            fields = form_fields(body)
            # A flattened key replaces ours whole: "include[]" given means only those.
            call.data = {**(call.data or {}), **fields}
        else:
            call.json = {**(call.json or {}), **body}
        # What was sent is what the result says (a model or format given here included).
        for key, value in body.items():
            if key == "voice" and isinstance(value, Mapping):  # a custom voice {"id": ...}
                value = value.get("id")
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                call.meta[key] = value
    if query:
        call.params = {**(call.params or {}), **query}
    if headers:
        call.headers = {**(call.headers or {}), **headers}
    return call
