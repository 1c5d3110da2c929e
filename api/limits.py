"""Per-key rate limits (in-process token buckets) and the request-size limit."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by API key id (or client address): `rate` tokens/s, `burst` max."""

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate = float(rate_per_s)
        self.burst = float(max(1, burst))
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, who: str, now: float | None = None) -> float:
        """Take one token for `who`; return 0.0 if allowed, else seconds until one is available."""
        t = time.monotonic() if now is None else now
        with self._lock:
            b = self._buckets.get(who)
            if b is None:
                b = self._buckets[who] = _Bucket(self.burst, t)
            b.tokens = min(self.burst, b.tokens + (t - b.updated) * self.rate)
            b.updated = t
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate if self.rate > 0 else math.inf


def retry_after_header(wait_s: float) -> str:
    """Return the Retry-After value (whole seconds, at least 1)."""
    return str(max(1, math.ceil(wait_s))) if math.isfinite(wait_s) else "3600"


class BodyTooLarge(Exception):
    """The request body exceeded the configured size."""


class Deadline:
    """A wall-clock budget for one request's traversal steps."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        """Return True once the budget is spent."""
        return time.monotonic() > self.end
