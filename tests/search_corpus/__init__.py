"""The relevance corpus: reports written to carry the phenomena of ARABIC.md, and what each query should find.

`load()` writes it into the current database (participants with their
names, reports, the editors' synonyms and the mentions that annotate some
reports) through the ordinary models, so the index is kept by the same
code as in production. `cases()` lists the queries.
"""

import datetime
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus():
    return json.loads((HERE / "reports.json").read_text(encoding="utf-8"))


def cases():
    return json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["cases"]


def load():
    """Write the corpus; returns {report key: Article}."""
    from articles.models import Article, Mention, Synonym
    from diplomacy.models import Participant, ParticipantAlias

    data = corpus()
    people = {}
    for p in data["participants"]:
        person = Participant.objects.create(
            slug=p["key"], kind=p["kind"], country=p["country"], name_ar=p["name_ar"], name_en=p["name_en"]
        )
        names = [(p["name_ar"], "ar"), (p["name_en"], "en"), *p["aliases"]]
        for name, language in names:
            ParticipantAlias.objects.create(participant=person, name=name, language=language)
        people[p["key"]] = person
    for words in data["synonyms"]:
        Synonym.objects.create(words=words)
    articles = {}
    for n, r in enumerate(data["reports"]):
        published = r.get("published") or (datetime.date(2016, 1, 1) + datetime.timedelta(days=n)).isoformat()
        article = Article.objects.create(
            title=r["title"],
            body=r["body"],
            language=r.get("language", "ar"),
            published=datetime.date.fromisoformat(published),
            status=Article.Status.PUBLISHED,
        )
        for key, text in r.get("mentions", []):
            start = article.body.index(text)
            Mention.objects.create(
                article=article, start=start, end=start + len(text), text=text, participant=people[key]
            )
        articles[r["key"]] = article
    return articles
