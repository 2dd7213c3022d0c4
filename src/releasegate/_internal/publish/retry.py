"""Retry policy: exponential backoff with jitter, Retry-After honoured, all capped.

Retried: connection errors, timeouts (a stalled peer), 5xx and 429. Everything
else (401, 403, 400 "invalid metadata", ...) fails at once: retrying it only
delays the report.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from releasegate._internal.publish.replies import Limits

T = TypeVar("T")


class RegistryError(Exception):
    """A request to a registry failed; the message is already free of secrets."""


class TransientError(RegistryError):
    """Worth another try: the registry was unreachable, slow, overloaded or rate limiting."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(RegistryError):
    """Retrying will not help (authentication, validation, a conflict)."""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def status_error(status: int, what: str, retry_after: str | None = None) -> RegistryError:
    """The error for an HTTP status other than success."""
    message = f"{what}: HTTP {status}"
    if status == 429 or status >= 500:
        return TransientError(message, parse_retry_after(retry_after))
    if status in (401, 403):
        return PermanentError(f"{message} (credentials refused)")
    return PermanentError(message)


@dataclass(frozen=True)
class RetryPolicy:
    """From ``PublishSettings``; the defaults live only in ``schema/sections/publish.json``."""

    retries: int
    backoff: float
    backoff_max: float
    timeout: float
    deadline: float
    """Seconds one request may take in all (``timeout`` bounds each read)."""

    @property
    def limits(self) -> Limits:
        from releasegate._internal.publish.replies import Limits

        return Limits(self.timeout, max(self.deadline, self.timeout))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Wait before retry number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.backoff_max)
        ceiling = min(self.backoff_max, self.backoff * 2.0 ** (attempt - 1))
        # Jitter spreads clients that failed together (half fixed, half random).
        jitter: float = random.uniform(0, ceiling / 2)  # noqa: S311 - not cryptographic
        return ceiling / 2 + jitter

    def call(
        self,
        action: Callable[[], T],
        on_retry: Callable[[int, float, TransientError], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        until: float | None = None,
    ) -> T:
        """Run ``action``; retry TransientError up to ``retries`` times.

        ``until`` (a ``time.monotonic()`` instant, the run's deadline) is the budget the
        retries spend: no retry starts that it cannot pay for, its wait and a whole request
        (``deadline``) included, so a registry that keeps failing ends in time with its own
        error instead of being abandoned mid-request.
        """
        attempt = 0
        while True:
            try:
                return action()
            except TransientError as exc:
                attempt += 1
                if attempt > self.retries:
                    raise
                wait = self.delay(attempt, exc.retry_after)
                if until is not None and time.monotonic() + wait + self.deadline > until:
                    raise TransientError(
                        f"{exc} (not retried: the run-deadline leaves no time for it)"
                    ) from None
                if on_retry is not None:
                    on_retry(attempt, wait, exc)
                sleep(wait)
