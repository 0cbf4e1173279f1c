"""The /api/models catalog: loading a catalog file and paging like CometAPI."""

from __future__ import annotations

import json
from pathlib import Path

from .apierror import ApiError
from .sample_catalog import SAMPLE_NOTE


def load_catalog(path: str | Path) -> list[dict]:
    """Records from a JSON file holding either the /api/models envelope or a bare list."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read catalog file {path}: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError(f"catalog file {path} holds no list of model records")
    return data


def _int_param(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid '{name}': expected an integer", param=name) from None
    if value < 0:
        raise ApiError(400, f"Invalid '{name}': must not be negative", param=name)
    return value


def page_envelope(
    records: list[dict],
    *,
    mode: str,
    default_size: int,
    page: str | None,
    page_size: str | None,
    sample: bool,
) -> dict:
    """The /api/models body for these query parameters.

    mode "full": no page (or page 0) gives everything as page 0 / page_size 0; page >= 1 gives
    that page, sized by the page_size parameter or the default. mode "paged": always a page of
    the default size (page 0 or none means page 1; the page_size parameter is ignored).
    """
    page_no = _int_param(page, "page")
    size = _int_param(page_size, "page_size")
    if mode == "paged":
        page_no, size = max(page_no or 1, 1), default_size
    elif not page_no:
        page_no, size = 0, 0
    else:
        size = size or default_size
    data = records if page_no == 0 else records[(page_no - 1) * size : page_no * size]
    envelope: dict = {
        "success": True,
        "page": page_no,
        "page_size": size,
        "total": len(records),
        "data": data,
    }
    if sample:
        envelope["source"] = "local-sample"
        envelope["message"] = SAMPLE_NOTE
    return envelope
