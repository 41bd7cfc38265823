"""The editors' admin: reports and their annotations (`coverage`), the annotator's endpoints
(`annotator`), the diplomatic record (`record`) and background jobs (`jobs`). Django's admin
autodiscovery imports this package, which registers every model's admin."""

from articles.admin import coverage, jobs, record  # noqa: F401
