from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Coverage")

    def ready(self):
        from articles import derived, lookups  # noqa: F401

        # The task modules workers load (`CELERY_IMPORTS`: the charts' and PDFs' tasks) are loaded in
        # every process, web and command too: their receivers (charts after an import, a report's
        # PDFs after it is published) must run in whichever process makes the change.
        for name in settings.CELERY_IMPORTS:
            import_module(name)
