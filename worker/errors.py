"""The project's exception tree. Lower libraries' errors are translated at the boundary.

    NewsworkerError
     +-- TransientError        retry later (network blip, 5xx, Redis busy)
     |    +-- RateLimited      the server asked us to wait (429/503 Retry-After)
     +-- PermanentError        do not retry; reject with `reason`
          +-- UnsafeURL        scheme/address refused (SSRF guard)
          +-- TooLarge         body over the size cap
          +-- BadInput         malformed document, JSON line, or file
"""

from __future__ import annotations


class NewsworkerError(Exception):
    """Base of every error newsworker raises on purpose."""

    reason: str = "error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class TransientError(NewsworkerError):
    """A failure that may pass: the task should be retried with backoff."""

    reason = "transient"


class RateLimited(TransientError):
    """The server asked us to come back later (429/503); `retry_after` is in seconds."""

    reason = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class PermanentError(NewsworkerError):
    """A failure that retrying cannot fix: record the reason and move on."""

    reason = "permanent"


class UnsafeURL(PermanentError):
    """The URL's scheme or the address it resolves to is not allowed."""

    reason = "unsafe_url"


class TooLarge(PermanentError):
    """The response body exceeded the configured cap."""

    reason = "too_large"


class BadInput(PermanentError):
    """Input that cannot be understood (bad JSON line, missing field, unreadable file)."""

    reason = "bad_input"
