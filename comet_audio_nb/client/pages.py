"""Reading the catalog's page envelopes and the key's model list; which pages are missing.

The catalog layer parses the records; the client only checks each envelope's shape and
works out which further pages to ask for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from . import extras
from .base import invalid
from .calls import Call, Reply


def with_extras(headers: Any, query: Any) -> Callable[[Call], Call]:
    """What adds the caller's ``extra_headers`` / ``extra_query`` to each page's call."""
    extras.checked("extra_query", query)
    extras.header_values(headers)  # a wrong value fails before the first page is sent
    return partial(extras.apply, extra_headers=headers, extra_query=query)


def catalog_call(url: str) -> Call:
    return Call("GET", url, auth=False)


def catalog_page(reply: Reply) -> dict[str, Any]:
    """One page's envelope ``{"success": true, "data": [...], ...}``, checked."""
    try:
        envelope = json.loads(reply.body)
    except ValueError:
        raise invalid(reply, "the model catalog is not JSON") from None
    if isinstance(envelope, list):  # a bare list: be liberal
        envelope = {"success": True, "data": envelope}
    if not isinstance(envelope, dict) or envelope.get("success") is False:
        message = envelope.get("message") if isinstance(envelope, dict) else None
        raise invalid(reply, f"the catalog reported a failure: {message or 'no message'}")
    if not isinstance(envelope.get("data"), list):
        raise invalid(reply, "the catalog's 'data' is not a list")
    return envelope


def missing_pages(first: dict[str, Any], url: str) -> list[Call]:
    """The calls for the pages still missing after the first one (none if unpaged)."""
    page, size, total = (_int(first.get(k)) for k in ("page", "page_size", "total"))
    got = len(first["data"])
    if not page or not total or got >= total:
        return []
    size = size or got
    if not size:
        return []
    pages = range(page + 1, math.ceil(total / size) + 1)
    return [Call("GET", url, params={"page": p, "page_size": size}, auth=False) for p in pages]


def in_order(first: dict[str, Any], rest: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The catalog's page envelopes in order: the first, then the others that hold data."""
    return [first, *[page for page in rest if page["data"]]]


def catalog_records(pages: Iterable[dict[str, Any]]) -> list:
    """The records in the pages (parsed by the catalog layer: ``client.models()``)."""
    from ..catalog.records import parse_records

    items = [item for envelope in pages for item in envelope["data"]]
    records, _problems = parse_records(items)
    return records


def model_list(reply: Reply) -> list[dict[str, Any]]:
    """``/v1/models``: the records with an id, whatever the envelope looks like."""
    try:
        data = json.loads(reply.body)
    except ValueError:
        raise invalid(reply, "the model list is not JSON") from None
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise invalid(reply, "the model list has no 'data' list")
    return [item for item in items if isinstance(item, dict) and item.get("id")]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
