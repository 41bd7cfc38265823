"""The Celery application: background work for web processes and commands (`make worker`).

Its settings are the `CELERY_*` names in diplomacy/settings.py. Without `CELERY_BROKER_URL`
every task runs inline, in the process that queued it, so nothing more is needed to develop or
test. Tasks live in `articles/tasks.py` (found by autodiscovery) and `articles/charts/tasks.py`
(`CELERY_IMPORTS`).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.settings")

app = Celery("diplomacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
