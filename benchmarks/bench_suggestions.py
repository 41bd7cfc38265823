"""Benchmark: editors' suggestions for a 5,000-word report (issue 3 item 8).

Runs on one core against a throwaway in-memory SQLite database:

    .venv/bin/python benchmarks/bench_suggestions.py [--repeat N]

Two reference sizes: 10,000 participants with 50,000 aliases, and 10
participants. The automaton is built once (its build time is reported on its
own line); the figure that matters is the per-report time of
`suggest_for_article`, database look-ups included, median of N runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.test_settings"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
WORDS = [
    "أكد",
    "الوزير",
    "أن",
    "المحادثات",
    "التي",
    "جرت",
    "في",
    "العاصمة",
    "كانت",
    "بناءة",
    "وأن",
    "الجانبين",
    "اتفقا",
    "على",
    "مواصلة",
    "الحوار",
    "حول",
    "القضايا",
    "الإقليمية",
    "والدولية",
    "ومنها",
    "الأزمة",
    "في",
    "المنطقة",
    "وسبل",
    "التوصل",
    "إلى",
    "حل",
    "سياسي",
    "يضمن",
    "الأمن",
    "والاستقرار",
    "وأشار",
    "إلى",
    "أهمية",
    "التعاون",
    "الاقتصادي",
    "والتجاري",
    "بين",
    "البلدين",
    "وتوسيع",
    "الاستثمارات",
    "المشتركة",
]


def fake_name(rng):
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7)))


def populate(n_participants, rng):
    """n participants with 5 aliases each, an office each, and 100 places (bulk inserts)."""
    from articles.arabic import normalize
    from diplomacy.models import Office, Participant, ParticipantAlias, Place

    Participant.objects.all().delete()
    Place.objects.all().delete()
    people = []
    names = []
    for i in range(n_participants):
        first, family = fake_name(rng), fake_name(rng)
        names.append((first, family))
        people.append(
            Participant(
                slug=f"p-{i}",
                kind=Participant.Kind.PERSON,
                name_ar=f"{first} {family}",
                name_en=f"Person {i}",
                country="SY",
            )
        )
    Participant.objects.bulk_create(people, batch_size=2000)
    ids = dict(Participant.objects.values_list("slug", "pk"))
    aliases = []
    offices = []
    for i, (first, family) in enumerate(names):
        pk = ids[f"p-{i}"]
        for alias in (f"{first} {family}", family, f"ال{family}", f"{first} ال{family}", f"Person {i}"):
            aliases.append(ParticipantAlias(participant_id=pk, name=alias, normalized=normalize(alias).casefold()))
        offices.append(Office(participant_id=pk, title_ar="وزير الخارجية السوري", country="SY", start=None, end=None))
    ParticipantAlias.objects.bulk_create(aliases, batch_size=5000)
    Office.objects.bulk_create(offices, batch_size=5000)
    Place.objects.bulk_create([Place(slug=f"place-{i}", name_ar=fake_name(rng), country="SY") for i in range(100)])
    return names


def make_report(names, rng, words=5000):
    """A synthetic report of `words` words: prose with names (some with attached letters), quotes and dates."""
    sentences = []
    count = 0
    while count < words:
        first, family = rng.choice(names)
        parts = [rng.choice(WORDS) for _ in range(20)]
        parts.append(rng.choice(["قال", "وأضاف", "وأكد"]))
        parts.append(rng.choice([f"{first} {family}", family, f"ل{family}", f"و{family}"]))
        parts.append("إن “" + " ".join(rng.choice(WORDS) for _ in range(10)) + "”،")
        parts.append("مضيفاً “" + " ".join(rng.choice(WORDS) for _ in range(6)) + "”.")
        if rng.random() < 0.1:
            parts.append("في 19 شباط/فبراير 2016 وصباح الخميس")
        sentence = " ".join(parts)
        sentences.append(sentence)
        count += len(sentence.split())
    # paragraphs of three sentences, one a line
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def run(n_participants, repeat, rng):
    from articles.arabic.tokens import analyse
    from articles.models import Article
    from articles.suggestions import get_toolkit, suggest_for_article

    names = populate(n_participants, rng)
    Article.objects.all().delete()
    body = make_report(names, rng)
    article = Article.objects.create(title=f"bench {n_participants}", body=body, published="2016-03-24")

    t0 = time.perf_counter()
    toolkit = get_toolkit()
    build = time.perf_counter() - t0

    timings = []
    cpu = []
    result = None
    for _ in range(repeat):
        analyse.cache_clear()  # every run reads the report afresh
        t0, c0 = time.perf_counter(), time.process_time()
        result = suggest_for_article(article)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {
        "participants": n_participants,
        "aliases": len(toolkit.matcher),
        "words": len(body.split()),
        "build_s": build,
        "median_ms": statistics.median(timings),
        "cpu_ms": statistics.median(cpu),
        "min_ms": min(timings),
        "max_ms": max(timings),
        "mentions": len(result["mentions"]),
        "quotes": len(result["quotes"]),
        "dates": len(result["dates"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(2016)
    print(f"Python {sys.version.split()[0]}, one core, median of {args.repeat} runs")
    print(
        "| participants | aliases | words | mentions | quotes | dates "
        "| per report, CPU (median) | wall (median) | wall min–max | build once |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in (10_000, 10):
        r = run(n, args.repeat, rng)
        print(
            f"| {r['participants']:,} | {r['aliases']:,} | {r['words']:,} | {r['mentions']} | {r['quotes']} "
            f"| {r['dates']} | {r['cpu_ms']:.0f} ms | {r['median_ms']:.0f} ms | {r['min_ms']:.0f}–{r['max_ms']:.0f} ms "
            f"| {r['build_s']:.2f} s |"
        )


if __name__ == "__main__":
    main()
