from pathlib import Path

from django.core.management.base import BaseCommand

from articles import workflow
from articles.actions import load_demo

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO = DEMO_DIR / "kerry-moscow-2016.annotations.json"
# A second report of the same talks, written for the demo and labelled so in its text and source.
SECOND = DEMO_DIR / "moscow-talks-demo.annotations.json"


class Command(BaseCommand):
    help = (
        "Load the demo data: the seed report, published, with its full reference annotation; with "
        "--with-second, also a second report of the same talks written for the demo. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-second",
            action="store_true",
            help="Also the second demo report of the same talks (for the outlet comparison and the evidence).",
        )
        parser.add_argument("--seed-only", action="store_true", help="The seed report alone (the default).")
        parser.add_argument(
            "--quotes-only",
            action="store_true",
            help="The report and its quotes only: names not linked, no approximate date (before any suggestion).",
        )

    def handle(self, **options):
        paths = (DEMO, SECOND) if options["with_second"] and not options["seed_only"] else (DEMO,)
        for summary in load_demo(paths, user=workflow.COMMAND, quotes_only=options["quotes_only"]):
            verb = "loaded" if summary["changed"] else "already loaded, nothing changed"
            self.stdout.write(f"Demo data {verb}: article {summary['article']} with {summary['quotes']} quotes.")
