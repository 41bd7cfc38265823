import json

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.suggestions import suggest_for_article


class Command(BaseCommand):
    help = (
        "Suggest annotations for an article: mentions of known participants and places, "
        "quotes with their speakers, and dates, leaving out what is already annotated."
    )

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int, help="The id of the article.")
        parser.add_argument("--json", action="store_true", help="Print the suggestions as JSON (UTF-8).")
        parser.add_argument(
            "--roles",
            action="store_true",
            help="Also suggest role phrases (الوزير الأميركي) resolved to a person as mentions.",
        )

    def handle(self, *args, article_id, **options):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article with id {article_id}.")
        suggestions = suggest_for_article(article, roles=options["roles"])
        if options["json"]:
            self.stdout.write(json.dumps(suggestions, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"Suggestions for article {article.pk}: {article.title}")
        self.stdout.write(f"\nMentions ({len(suggestions['mentions'])}):")
        for m in suggestions["mentions"]:
            target = f"participant {m['participant']}" if "participant" in m else f"place {m['place']}"
            if m.get("via") == "role":
                target += " (role phrase)"
            self.stdout.write(f"  {m['start']:>6}–{m['end']:<6} {m['text']}  →  {target}")
        self.stdout.write(f"\nQuotes ({len(suggestions['quotes'])}):")
        for q in suggestions["quotes"]:
            speaker = q["speaker"] or "unknown speaker"
            addressee = f" to {q['addressee']}" if q["addressee"] else ""
            self.stdout.write(f"  {q['start']:>6}–{q['end']:<6} [{q['kind']}] {speaker}{addressee}: {q['text']}")
        self.stdout.write(f"\nDates ({len(suggestions['dates'])}):")
        for d in suggestions["dates"]:
            value = d["date"] or "unresolved"
            self.stdout.write(f"  {d['start']:>6}–{d['end']:<6} {d['text']}  →  {value} ({d['precision']})")
