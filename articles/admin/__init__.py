"""The editors' admin: reports and their annotations (`coverage`), the annotator's endpoints
(`annotator`), and the diplomatic record (`record`). Django's admin autodiscovery imports this
package, which registers every model's admin."""

from articles.admin import coverage, record  # noqa: F401
