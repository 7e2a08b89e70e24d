"""The data's version, for the caches of pages read far more often than their figures change (the dashboard, the
registration monitoring, the home page's to-do): a cached piece is kept under the version it was built at and is
never served once the version moved on.

Nothing has to remember to bump it. Every service leaves an audit row (`core.audit`), and the version is read
from the audit table, so a write by any process, web worker or task worker, is seen by every other. Writes made
through the ORM without a service (tests, the shell, the stock admin) are seen by the process that made them: any
save or delete bumps a counter of this process (a signal), part of the version too.
"""

import hashlib
import itertools
import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from .models import AuditEntry

# An audit id handed out earlier than a newer one may be committed after it (PostgreSQL sequences): the number of
# rows among the latest WINDOW ids changes when it lands, even though the highest id does not.
WINDOW = 1000
TIMEOUT = 600  # seconds; a version moves on anyway, this only bounds the memory of pieces nobody asks for again

_local = itertools.count(1)
_local_value = 0
_request = threading.local()  # the version read once per request (several cached pieces on one page)


def _bump(sender, **kwargs):
    global _local_value
    if sender._meta.app_label != "sessions":  # a page that remembers a choice saves the session: no data change
        _local_value = next(_local)


post_save.connect(_bump, dispatch_uid="core.versions")
post_delete.connect(_bump, dispatch_uid="core.versions")
m2m_changed.connect(_bump, dispatch_uid="core.versions")


def _started(**kwargs):
    _request.read, _request.active = None, True


def _finished(**kwargs):
    _request.read, _request.active = None, False


request_started.connect(_started, dispatch_uid="core.versions")
request_finished.connect(_finished, dispatch_uid="core.versions")


def current():
    """The version now: one indexed query on the audit table (its highest id and the rows of its latest ids), once
    per request as long as this process writes nothing meanwhile."""
    read = getattr(_request, "read", None)
    if read is not None and read[0] == _local_value:
        return read[1]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {table} WHERE id > "  # noqa: S608 - no user input
                       f"(SELECT COALESCE(MAX(id), 0) FROM {table}) - %s", [WINDOW])
        highest, recent = cursor.fetchone()
    version = f"{highest or 0}.{recent}.{_local_value}"
    if getattr(_request, "active", False):  # outside a request (a worker, a test) every call reads afresh
        _request.read = (_local_value, version)
    return version


def already_read():
    """The version this request has read already (a page with cached pieces), else None: a piece that costs one
    query can ride on it for free, but is not worth a query of its own."""
    read = getattr(_request, "read", None)
    return read[1] if read is not None and read[0] == _local_value else None


def key(name, parts, *, version=None):
    """The cache key of a piece named `name` built from `parts` (what else it depends on: the user, the filters) at
    this data version, in this language, today (figures say "overdue" against today)."""
    # The parts hashed: a search text may hold anything, and some cache servers refuse long keys or spaces.
    parts = repr([translation.get_language(), timezone.localdate().isoformat(), *parts])
    return f"v:{name}:{version or current()}:{hashlib.sha256(parts.encode()).hexdigest()}"


def cached(name, parts, build, *, version=None):
    """`build()`'s value, kept in the cache under `key(name, parts)` from the second time it is asked for at the
    same version on: a piece asked for once between two writes (one user's home, one search) is not worth keeping,
    and the first request after a write always shows the real cost of the page (the query-count tests see it)."""
    cache_key = key(name, parts, version=version)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        if cache.get(f"{cache_key}:asked"):
            cache.set(cache_key, value, TIMEOUT)
        else:
            cache.set(f"{cache_key}:asked", True, TIMEOUT)
    return value
