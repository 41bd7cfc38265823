"""Which database a query goes to: the primary, or one of the read replicas.

`DATABASE_REPLICA_URLS` names PostgreSQL streaming replicas (settings: `DATABASE_REPLICAS`
holds their aliases). `ReplicaMiddleware` decides once per request where its reads go:

- an anonymous GET or HEAD (no session user, no `Authorization` header, not the admin) reads
  from a replica, chosen at random among those that answer and are no more than
  `REPLICA_MAX_LAG_SECONDS` behind;
- everything else reads from the primary: writes, the admin and the annotator, editors signed
  in by session or token, and a client that sent a write in the last `READ_YOUR_WRITES_SECONDS`
  (the `wrote` cookie set on the response to every POST, PUT, PATCH and DELETE), so people
  read their own writes.

Writes always go to the primary, and once a request has written, its later reads do too.
Outside a request (management commands, workers, migrations) everything uses the primary.

A replica that cannot be reached or lags is skipped for `REPLICA_RETRY_SECONDS` and the skip
is logged (logger `diplomacy.replicas`); the request is served from the primary.
"""

import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("diplomacy.replicas")

WROTE_COOKIE = "wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Seconds since the last replayed transaction, or 0 when the replica has replayed all it received.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

_reads_from = contextvars.ContextVar("reads_from", default=DEFAULT_DB_ALIAS)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads_from.get()

    def db_for_write(self, model, **hints):
        _reads_from.set(DEFAULT_DB_ALIAS)  # what this request reads next includes what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every database holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaSet:
    """The replicas this process may read from, with the ones found down or lagging set aside."""

    def __init__(self):
        self._lock = threading.Lock()
        self._skipped_until = {}

    def choose(self):
        """A replica that answered now and is not lagging, or the primary's alias."""
        now = time.monotonic()
        candidates = [alias for alias in settings.DATABASE_REPLICAS if self._skipped_until.get(alias, 0) <= now]
        random.shuffle(candidates)
        for alias in candidates:
            lag = self.lag(alias)
            if lag is None:
                continue
            if lag > settings.REPLICA_MAX_LAG_SECONDS:
                self.skip(alias, "is %.1f s behind the primary (limit %s s)", lag, settings.REPLICA_MAX_LAG_SECONDS)
                continue
            return alias
        return DEFAULT_DB_ALIAS

    def lag(self, alias):
        """Seconds `alias` is behind, or None when it cannot be reached (then it is skipped).

        The query is also the connection's health check: a connection kept from an earlier
        request that broke is closed and opened again once before the replica is given up.
        """
        connection = connections[alias]
        for attempt in (1, 2):
            try:
                with connection.cursor() as cursor:
                    cursor.execute(LAG_SQL)
                    return float(cursor.fetchone()[0])
            except DatabaseError as error:
                connection.close()
                if attempt == 2:
                    self.skip(alias, "cannot be reached (%s)", str(error).strip() or type(error).__name__)
        return None

    def skip(self, alias, reason, *args):
        with self._lock:
            self._skipped_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning(
            "Read replica %s " + reason + "; reading from the primary for %s s.",
            alias,
            *args,
            settings.REPLICA_RETRY_SECONDS,
        )

    def reset(self):
        with self._lock:
            self._skipped_until.clear()


replicas = ReplicaSet()


def reads_primary(request):
    """True when this request must read from the primary (see the module's docstring)."""
    return (
        request.method not in SAFE_METHODS
        or WROTE_COOKIE in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or request.path_info.startswith("/admin/")
        or request.user.is_authenticated
    )


class ReplicaMiddleware:
    """Sends the request's reads to a replica when it may use one; marks clients that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        alias = DEFAULT_DB_ALIAS if reads_primary(request) else replicas.choose()
        token = _reads_from.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
