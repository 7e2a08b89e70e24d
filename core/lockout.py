"""Login throttling on top of django-axes: a growing delay per user name, a separate one per address.

- **User name.** After `LOGIN_FAILURE_LIMIT` failed logins for a user name, wherever they came from, every further
  attempt for it waits: `LOGIN_DELAY_SECONDS` after the last failure, doubled with each further failure, at most
  `LOGIN_DELAY_MAX_SECONDS`. Nothing is locked for good: the wait runs out by itself, an attempt refused while it
  runs is not counted and does not restart it, and a successful login clears the user name's failures.
- **The person's own places.** From an address where the person has signed in before (`LOGIN_KNOWN_ADDRESS_DAYS`),
  only the failures from that address count: someone guessing elsewhere cannot keep them out of their own office.
- **Address.** After `LOGIN_ADDRESS_FAILURE_LIMIT` failures from one address, whatever the user names, the same
  growing delay applies to that address (a guesser trying many accounts).
- Failures are forgotten `LOGIN_FAILURE_MEMORY_HOURS` after the last one (django-axes' `AXES_COOLOFF_TIME`).

The client address is `REMOTE_ADDR`, or behind `TRUSTED_PROXY_COUNT` reverse proxies the address the outermost
of them wrote into `X-Forwarded-For` (`client_ip`, through django-ipware); addresses a client writes there itself are
never taken.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from ipware import get_client_ip

ACCOUNT, ADDRESS = "account", "address"


def client_ip(request):
    """The client's address (django-axes' `AXES_CLIENT_IP_CALLABLE`).

    With N trusted proxies, the N-th entry of X-Forwarded-For from the right: the one the outermost trusted proxy
    appended (entries to its left come from the client and are ignored). Without proxies the header is ignored.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        # python-ipware counts the proxies *inside* the header (the last one is REMOTE_ADDR): N - 1 of them.
        address, _routable = get_client_ip(request, proxy_count=count - 1,
                                           request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False)
        if address:
            return address
    return request.META.get("REMOTE_ADDR")


def delay_after(failures, limit):
    """The wait after the last failure once `failures` reached `limit`: doubling from the base up to the maximum."""
    if failures < limit:
        return timedelta(0)
    base, most = settings.LOGIN_DELAY_SECONDS, settings.LOGIN_DELAY_MAX_SECONDS
    return timedelta(seconds=min(base * 2 ** min(failures - limit, 32), most))


def _remaining(attempts, limit, now):
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < limit:
        return timedelta(0)
    return max(timedelta(0), totals["last"] + delay_after(totals["failures"], limit) - now)


def _is_known_address(username, address, now):
    since = now - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).exists()


def wait_for(request, credentials=None):
    """(how long this login attempt must still wait, ACCOUNT or ADDRESS), or (timedelta(0), None)."""
    now = timezone.now()  # not axes' request time: the attempt rows are stamped when saved, a little later
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - timedelta(hours=settings.LOGIN_FAILURE_MEMORY_HOURS))
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    waits = []
    if username:
        mine = recent.filter(username=username)
        if address and _is_known_address(username, address, now):
            mine = mine.filter(ip_address=address)
        waits.append((_remaining(mine, settings.LOGIN_FAILURE_LIMIT, now), ACCOUNT))
    if address:
        waits.append((_remaining(recent.filter(ip_address=address), settings.LOGIN_ADDRESS_FAILURE_LIMIT, now),
                      ADDRESS))
    wait, reason = max(waits, default=(timedelta(0), None), key=lambda item: item[0])
    return (wait, reason) if wait > timedelta(0) else (timedelta(0), None)


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler (it records failures and successes) with the delays above as the lock."""

    def is_locked(self, request, credentials=None):
        return wait_for(request, credentials)[0] > timedelta(0)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure just recorded may start a wait (axes itself only looks at the user name's count).
        if request is not None and not getattr(request, "axes_locked_out", False) and self.is_locked(
                request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials=None):
    """The Vietnamese page for a login that must wait (django-axes' `AXES_LOCKOUT_CALLABLE`), HTTP 429."""
    wait, reason = wait_for(request, credentials)
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes, "by_address": reason == ADDRESS},
                  status=429)
