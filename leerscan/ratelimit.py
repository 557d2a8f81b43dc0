"""Abuse limits: how often one client (or one scan) may do something expensive.

Counts live in Django's cache, so every worker process that shares the cache shares the count
(the file cache on one machine; a cache all app servers reach when there are several, see
docs/security.md). A limit is a `Limit(name, count, period)`: at most `count` uses in any
`period` seconds, estimated with a sliding window over two fixed windows (the previous window's
count weighted by how much of it still lies within the last `period` seconds), so a burst at the
edge of a window cannot pass twice the limit. A refused use is not counted: a client that waits
gets through again at the allowed rate.

The client is its IP address (REMOTE_ADDR), an IPv6 address by its /64 network (one home or
office gets a whole /64). Behind a reverse proxy REMOTE_ADDR is the proxy, so the address is
then read from the one header the setting LEERSCAN_CLIENT_IP_HEADER names; X-Forwarded-For is
never trusted by default, as any client can send it. Addresses and tokens never reach the cache
in the clear: keys hold a keyed hash of the subject.

    from leerscan import ratelimit
    refused = ratelimit.check(request, ratelimit.limit("scan_start"))
    if refused:
        return refused   # the friendly 429 page, with Retry-After
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

KEY_PREFIX = "leerscan:limit"


@dataclass(frozen=True)
class Limit:
    """At most `count` uses in any `period` seconds; `count` 0 means no limit."""

    name: str
    count: int
    period: int

    @property
    def off(self) -> bool:
        return self.count <= 0


def limit(name: str) -> Limit:
    """The limit of that name as configured in settings.LEERSCAN_RATE_LIMITS."""
    count, period = settings.LEERSCAN_RATE_LIMITS[name]
    return Limit(name=name, count=count, period=period)


# --- Who is asking ---------------------------------------------------------------------------


def _meta_key(header: str) -> str:
    """ "X-Real-IP" as Django's request.META key, "HTTP_X_REAL_IP"."""
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") or name == "REMOTE_ADDR" else f"HTTP_{name}"


def _parse_address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the limits count it: an IPv4 address, or for IPv6 the first
    address of its /64 network; None when there is no usable address.

    With LEERSCAN_CLIENT_IP_HEADER set (only behind a proxy that sets that header itself), the
    address comes from that header; when it holds a list (X-Forwarded-For), the last entry is
    the one the proxy added. django-axes counts failed logins by the same address.
    """
    raw = request.META.get("REMOTE_ADDR", "")
    header = settings.LEERSCAN_CLIENT_IP_HEADER
    if header:
        value = request.META.get(_meta_key(header), "")
        if value:
            raw = value.split(",")[-1]
    address = _parse_address(raw)
    if address is None:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


# --- Counting --------------------------------------------------------------------------------


def _key(limit: Limit, subject: str, window: int) -> str:
    # A keyed hash: the cache (files on disk) holds neither addresses nor scan tokens.
    digest = salted_hmac("leerscan.ratelimit", subject, algorithm="sha256").hexdigest()[:32]
    return f"{KEY_PREFIX}:{limit.name}:{limit.period}:{window}:{digest}"


def _adjust(key: str, delta: int, timeout: int) -> int:
    """Add delta to a counter that lives for `timeout` seconds from now; its new value."""
    if delta > 0:
        cache.add(key, 0, timeout=timeout)
    try:
        value = cache.incr(key, delta)
    except ValueError:  # expired (or never there)
        if delta < 0:
            return 0
        cache.set(key, delta, timeout=timeout)
        return delta
    # incr is atomic in Redis and Memcached, but the file and database caches implement it as
    # get and set, which gives the key the default timeout (five minutes): set ours again.
    cache.touch(key, timeout=timeout)
    return value


def _lifetime(limit: Limit, window: int, now: float) -> int:
    # A window's count is read until the end of the next window.
    return math.ceil((window + 2) * limit.period - now) + 1


def _wait(limit: Limit, previous: int, current: int, elapsed: float) -> int:
    """Seconds until one more use fits, given the counts that passed (the refused one left out)."""
    period, count = limit.period, limit.count
    if current + 1 > count:
        # Not before the next window; then the current window becomes the weighted previous one.
        into_next = period * max(0.0, 1 - (count - 1) / current)
        return math.ceil(period - elapsed + into_next)
    # The previous window's weight has to shrink until one more fits.
    return max(1, math.ceil((period - elapsed) - (count - current - 1) * period / previous))


def hit(limit: Limit, subject: str, *, now: float | None = None) -> int | None:
    """Count one use of `limit` by `subject`: None when it is allowed, else the seconds to wait."""
    if limit.off:
        return None
    now = time.time() if now is None else now
    window, elapsed = divmod(now, limit.period)
    window = int(window)
    key = _key(limit, subject, window)
    lifetime = _lifetime(limit, window, now)
    current = _adjust(key, 1, lifetime)
    previous = cache.get(_key(limit, subject, window - 1), 0)
    weight = (limit.period - elapsed) / limit.period
    if previous * weight + current <= limit.count:
        return None
    _adjust(key, -1, lifetime)  # a refused use does not count
    # Once per client and window, not once per refused request (an attack makes thousands).
    if cache.add(f"{key}:logged", True, timeout=limit.period):
        logger.warning("Rate limit %s reached (%s in %s s)", limit.name, limit.count, limit.period)
    return _wait(limit, previous, current - 1, elapsed)


def _counts(limit: Limit, subject: str, now: float) -> tuple[int, int, float]:
    window, elapsed = divmod(now, limit.period)
    window = int(window)
    current = cache.get(_key(limit, subject, window), 0)
    previous = cache.get(_key(limit, subject, window - 1), 0)
    return previous, current, elapsed


def peek(limit: Limit, subject: str, *, now: float | None = None) -> int | None:
    """Whether one more use of `limit` by `subject` would be allowed, without counting it: None
    when it would, else the seconds to wait. For limits that count only some outcomes (a failed
    lookup): the check comes before the outcome is known, the `hit` after."""
    if limit.off:
        return None
    now = time.time() if now is None else now
    previous, current, elapsed = _counts(limit, subject, now)
    weight = (limit.period - elapsed) / limit.period
    if previous * weight + current + 1 <= limit.count:
        return None
    return _wait(limit, previous, current, elapsed)


def undo(limit: Limit, subject: str, *, now: float | None = None) -> None:
    """Take back one counted use (when a later limit of the same action refused it)."""
    if limit.off:
        return
    now = time.time() if now is None else now
    window = int(now // limit.period)
    _adjust(_key(limit, subject, window), -1, _lifetime(limit, window, now))


def hit_all(checks: list[tuple[Limit, str]], *, now: float | None = None) -> int | None:
    """Count one use against several limits at once: all count, or (when one refuses) none."""
    now = time.time() if now is None else now
    passed: list[tuple[Limit, str]] = []
    for checked, subject in checks:
        wait = hit(checked, subject, now=now)
        if wait is not None:
            for done, done_subject in passed:
                undo(done, done_subject, now=now)
            return wait
        passed.append((checked, subject))
    return None


# --- Answering -------------------------------------------------------------------------------


def too_many_requests(
    request: HttpRequest,
    retry_after: int,
    *,
    message: str = "",
    back_url: str = "",
    back_label: str = "",
) -> HttpResponse:
    """The friendly 429 page: what happened, from when it works again (Retry-After too), and
    a way back (the start page unless `back_url` says otherwise)."""
    retry_after = max(1, int(retry_after))
    again = timezone.localtime() + timedelta(seconds=retry_after)
    response = render(
        request,
        "429.html",
        {
            "message": message,
            "again": again,
            "again_today": again.date() == timezone.localdate(),
            "back_url": back_url,
            "back_label": back_label,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def check(
    request: HttpRequest,
    *limits: Limit,
    subjects: dict[str, str] | None = None,
    message: str = "",
    back_url: str = "",
    back_label: str = "",
) -> HttpResponse | None:
    """Count this request against `limits`: None when allowed, else the 429 response.

    Each limit counts per client address, unless `subjects` names another subject for it by
    the limit's name (a scan's id, for a limit per scan).
    """
    # Requests without a usable address share one count.
    address = client_address(request) or "unknown"
    subjects = subjects or {}
    wait = hit_all([(each, subjects.get(each.name, address)) for each in limits])
    if wait is None:
        return None
    return too_many_requests(
        request, wait, message=message, back_url=back_url, back_label=back_label
    )


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' answer to a login while locked out (AXES_LOCKOUT_CALLABLE): a plain page
    that says what happened and when to try again, as a 429 with Retry-After."""
    wait = settings.AXES_COOLOFF_TIME
    again = timezone.localtime() + wait
    response = render(
        request,
        "login_locked.html",
        {"again": again, "again_today": again.date() == timezone.localdate()},
        status=429,
    )
    response["Retry-After"] = str(int(wait.total_seconds()))
    patch_cache_control(response, private=True, no_store=True)
    return response
