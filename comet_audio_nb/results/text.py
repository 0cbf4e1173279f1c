"""Short human labels: a shortened line, seconds, a byte size, a clock time."""

from __future__ import annotations


def shorten(text: str, width: int) -> str:
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:  # end on a whole word when one is near
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def seconds_label(seconds: float) -> str:
    return f"{seconds:.1f} s" if abs(seconds) < 1e6 else f"{seconds:.3g} s"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def clock(seconds: float | None) -> str:
    """``75.25`` → ``1:15.2``; hours when there are any: ``1:02:03.0``.

    >>> clock(75.25), clock(3723), clock(None)
    ('1:15.2', '1:02:03.0', '?')
    """
    if seconds is None:
        return "?"
    tenths = round(max(0.0, seconds) * 10)
    minutes, tenths = divmod(tenths, 600)
    hours, minutes = divmod(minutes, 60)
    second = f"{tenths // 10:02d}.{tenths % 10}"
    return f"{hours}:{minutes:02d}:{second}" if hours else f"{minutes}:{second}"
