# The Celery app is loaded with Django, so that tasks queued by web processes use its settings.
from diplomacy.celery import app as celery_app

__all__ = ["celery_app"]
