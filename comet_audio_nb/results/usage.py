"""What the service says a request used (``usage``), added up over the parts of a job.

>>> sum_usage([{"type": "tokens", "input_tokens": 3, "output_tokens": 5},
...            {"type": "tokens", "input_tokens": 2, "output_tokens": 1}])
{'type': 'tokens', 'input_tokens': 5, 'output_tokens': 6}
>>> sum_usage([{"type": "duration", "seconds": 2}, None]) is None   # one part unknown
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def sum_usage(usages: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The parts' usage added up: numbers summed, equal labels kept, nested details summed;
    None when any part has none (a partial sum would under-state the cost)."""
    items = list(usages)
    if not items or any(not isinstance(u, dict) for u in items):
        return None
    total: dict[str, Any] = {}
    for key in dict.fromkeys(k for u in items for k in u):
        values = [u.get(key) for u in items]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            total[key] = sum(values)
        elif all(isinstance(v, dict) for v in values):
            total[key] = sum_usage(values)
        elif all(v == values[0] for v in values):
            total[key] = values[0]
    return total
