import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.duplicates import index_text
from articles.evidence import link_evidence
from articles.models import Article
from articles.records import load_records
from diplomacy.models import Agreement, Meeting, Participant

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO = DEMO_DIR / "kerry-moscow-2016.annotations.json"
# A second report of the same talks, written for the demo and labelled so in its text and source.
SECOND = DEMO_DIR / "moscow-talks-demo.annotations.json"


class Command(BaseCommand):
    help = (
        "Load the demo data: the seed report, published, with its full reference annotation, and a second "
        "report of the same talks written for the demo. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed-only", action="store_true", help="Load the seed report only, without the second demo report."
        )

    def handle(self, **options):
        for path in (DEMO,) if options["seed_only"] else (DEMO, SECOND):
            summary = load_records(path, status=Article.Status.PUBLISHED)
            article = Article.objects.get(pk=summary["article"])
            index_text(article)
            for item in json.loads(path.read_text(encoding="utf-8")).get("evidence", []):
                link_evidence(
                    article,
                    text=item["text"],
                    field=item["field"],
                    meeting=Meeting.objects.get(slug=item["meeting"]) if "meeting" in item else None,
                    agreement=Agreement.objects.get(slug=item["agreement"]) if "agreement" in item else None,
                    participant=Participant.objects.get(slug=item["participant"]) if "participant" in item else None,
                )
            verb = "loaded" if summary["changed"] else "already loaded, nothing changed"
            self.stdout.write(f"Demo data {verb}: article {summary['article']} with {summary['quotes']} quotes.")
