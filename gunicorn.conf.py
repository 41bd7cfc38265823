"""gunicorn settings for `make serve` (production settings; docs/deployment.md).

Each value can be changed from the environment without editing this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
# Synchronous workers, one request each: the archive's requests are CPU-bound (templates,
# Arabic shaping, charts) or short database waits. About two a core, as gunicorn advises.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then, so that slow growth in memory never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the application once in the master, then fork (shared memory pages, faster restarts).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # Connections opened in the master before forking must not be shared by the workers.
    from django.db import connections

    connections.close_all()
