from pathlib import Path

from django.core.management.base import BaseCommand

from articles import workflow
from articles.actions import load_records
from articles.models import Article

DEMO = Path(__file__).resolve().parents[2] / "demo" / "kerry-moscow-2016.annotations.json"


class Command(BaseCommand):
    help = "Load the demo data: the seed report, published, with its full reference annotation. Idempotent."

    def handle(self, **options):
        summary = load_records(DEMO, status=Article.Status.PUBLISHED, user=workflow.COMMAND)
        verb = "loaded" if summary["changed"] else "already loaded, nothing changed"
        self.stdout.write(f"Demo data {verb}: article {summary['article']} with {summary['quotes']} quotes.")
