"""When a failed request is tried again, and how long to wait first.

The table (from CometAPI's error guide):

==========================================  =========
answer                                      retried?
==========================================  =========
400, 401, 403, 404, 413, 422                no: fix the request
a redirect or an HTML page                  no: check the base URL
500 whose error code is ``invalid_request``  no: a malformed request
429                                         yes
500, 502, 503, 504, 524                     yes
connection error, timeout, cut-off body     yes
==========================================  =========

Waits grow exponentially with jitter (0.5 s, 1 s, 2 s, ... capped at 8 s); a
``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms`` header from the service
wins, capped at ``max_retry_after``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .errors import APIConnectionError, APIError, CometError, NotFoundError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 524})


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to retry and how long to wait.

    >>> RetryPolicy(max_retries=5, initial_delay=1.0, max_delay=30.0)  # CometAPI's guide
    RetryPolicy(max_retries=5, initial_delay=1.0, max_delay=30.0, jitter=0.25, max_retry_after=60.0)
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25  # fraction of the delay added at random, so clients spread out
    max_retry_after: float = 60.0

    def should_retry(self, error: CometError) -> bool:
        """Whether this failure is worth another attempt (the table above)."""
        if isinstance(error, APIConnectionError):
            return True
        if not isinstance(error, APIError) or isinstance(error, NotFoundError):
            return False
        if error.status == 500 and (error.code or "") == "invalid_request":
            return False
        return error.status in RETRY_STATUSES

    def delay(self, attempt: int, headers: Mapping[str, str] | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
        asked = retry_after(headers or {})
        if asked is not None:
            return min(asked, self.max_retry_after)
        base = min(self.max_delay, self.initial_delay * 2**attempt)
        return base * (1 + self.jitter * random.random())


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The wait the service asks for, in seconds, from ``retry-after-ms`` or ``Retry-After``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    ms = lowered.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = (lowered.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
