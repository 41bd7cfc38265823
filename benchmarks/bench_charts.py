"""How long a chart takes over a large archive: query, draw and encode the PNG, with the cache cold and warm.

Fills a SEPARATE database with synthetic published reports (bulk-created;
the first run takes a few minutes), then times each chart. It refuses a
database whose name does not contain "bench", since it writes freely.

    createdb -h 127.0.0.1 -U postgres diplo_charts_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_charts_bench \\
        .venv/bin/python benchmarks/bench_charts.py --reports 100000

`--screenshots DIR` also writes each chart, the two timelines and the seed's
PDF (loaded with `load_demo`) there, as they are drawn over this data.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.utils import translation  # noqa: E402

from articles.charts import data as charts  # noqa: E402
from articles.models import Article, Quote, Source, content_hash  # noqa: E402
from diplomacy.models import Agreement, AgreementParty, Meeting, Participant, Participation, Topic  # noqa: E402

PEOPLE = [
    ("سيرغي لافروف", "Sergey Lavrov", "RU"),
    ("جون كيري", "John Kerry", "US"),
    ("فلاديمير بوتين", "Vladimir Putin", "RU"),
    ("باراك أوباما", "Barack Obama", "US"),
    ("بشار الأسد", "Bashar al-Assad", "SY"),
    ("وليد المعلم", "Walid Muallem", "SY"),
    ("ستافان دي ميستورا", "Staffan de Mistura", "SE"),
    ("محمد جواد ظريف", "Mohammad Javad Zarif", "IR"),
    ("عادل الجبير", "Adel al-Jubeir", "SA"),
    ("رجب طيب أردوغان", "Recep Tayyip Erdoğan", "TR"),
    ("مولود جاووش أوغلو", "Mevlüt Çavuşoğlu", "TR"),
    ("سامح شكري", "Sameh Shoukry", "EG"),
    ("عبد الفتاح السيسي", "Abdel Fattah el-Sisi", "EG"),
    ("أيمن الصفدي", "Ayman Safadi", "JO"),
    ("الملك عبد الله الثاني", "King Abdullah II", "JO"),
    ("محمد بن عبد الرحمن آل ثاني", "Mohammed bin Abdulrahman Al Thani", "QA"),
    ("فيديريكا موغيريني", "Federica Mogherini", "IT"),
    ("بان كي مون", "Ban Ki-moon", "KR"),
    ("أنطونيو غوتيريش", "António Guterres", "PT"),
    ("ريكس تيلرسون", "Rex Tillerson", "US"),
    ("مايك بومبيو", "Mike Pompeo", "US"),
    ("حسن روحاني", "Hassan Rouhani", "IR"),
    ("ميشال عون", "Michel Aoun", "LB"),
    ("سعد الحريري", "Saad Hariri", "LB"),
]
TOPICS = [
    ("الأزمة السورية", "Syrian war"),
    ("الملف النووي الإيراني", "Iran nuclear file"),
    ("الأزمة الأوكرانية", "Ukraine crisis"),
    ("المساعدات الإنسانية", "Humanitarian aid"),
    ("الانتقال السياسي", "Political transition"),
    ("مكافحة الإرهاب", "Counter-terrorism"),
    ("اللاجئون", "Refugees"),
    ("الطاقة", "Energy"),
]


def months(start_year, n):
    for i in range(n):
        yield datetime.date(start_year + i // 12, 1 + i % 12, 1)


@transaction.atomic
def fill(n_reports, seed=7):
    """Bulk-create `n_reports` published reports (and 5% drafts) with quotes, meetings and agreements."""
    rng = random.Random(seed)
    have = Article.objects.filter(title__startswith="تقرير تجريبي").count()
    if have >= n_reports:
        return have
    sources = [
        Source.objects.get_or_create(slug=f"bench-source-{i}", defaults={"name_ar": f"مصدر {i}", "name_en": f"S{i}"})[0]
        for i in range(12)
    ]
    people = []
    for i, (name_ar, name_en, country) in enumerate(PEOPLE):
        person, _ = Participant.objects.get_or_create(
            slug=f"bench-person-{i}",
            defaults={"kind": "person", "name_ar": name_ar, "name_en": name_en, "country": country},
        )
        people.append(person)
    topics = [
        Topic.objects.get_or_create(slug=f"bench-topic-{i}", defaults={"name_ar": ar, "name_en": en})[0]
        for i, (ar, en) in enumerate(TOPICS)
    ]
    day0 = datetime.date(2012, 1, 1)
    span = (datetime.date(2021, 12, 31) - day0).days
    # Popular people are met and quoted more often: a skewed choice.
    weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]

    meetings = Meeting.objects.bulk_create(
        Meeting(
            kind=rng.choice(["meeting", "talks", "phone_call", "summit"]),
            title_ar=f"لقاء تجريبي {i}",
            title_en=f"Bench meeting {i}",
            slug=f"bench-meeting-{i}",
            start=day0 + datetime.timedelta(days=rng.randrange(span)),
        )
        for i in range(n_reports // 30)
    )
    participations = []
    for meeting in meetings:
        for person in set(rng.choices(people, weights, k=rng.randint(2, 4))):
            participations.append(Participation(meeting=meeting, participant=person))
    Participation.objects.bulk_create(participations)
    statuses = [s.value for s in Agreement.Status]
    agreements = Agreement.objects.bulk_create(
        Agreement(
            kind=rng.choice(["ceasefire", "understanding", "memorandum", "joint_statement"]),
            status=rng.choice(statuses),
            title_ar=f"اتفاق تجريبي {i}",
            title_en=f"Bench agreement {i}",
            slug=f"bench-agreement-{i}",
            announced=day0 + datetime.timedelta(days=rng.randrange(span)),
        )
        for i in range(n_reports // 300)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, participant=p) for a in agreements for p in set(rng.choices(people, k=2))
    )

    body = "قال الوزير إن المحادثات كانت بناءة.\nوأضاف أن الطرفين اتفقا على مواصلة الحوار."
    articles = []
    for i in range(have, n_reports + n_reports // 20):
        title = f"تقرير تجريبي {i}"
        text = f"{body}\n{i}"
        articles.append(
            Article(
                title=title,
                body=text,
                content_hash=content_hash(title, text),
                source=rng.choice(sources),
                status="published" if i < n_reports else "draft",
                published=day0 + datetime.timedelta(days=rng.randrange(span)),
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=5000)
    through = {name: getattr(Article, name).through for name in ("participants", "topics", "meetings", "agreements")}
    links = {name: [] for name in through}
    quotes = []
    for article in articles:
        speakers = set(rng.choices(people, weights, k=rng.randint(1, 3)))
        for person in speakers:
            links["participants"].append(through["participants"](article=article, participant=person))
        links["topics"].append(through["topics"](article=article, topic=rng.choice(topics)))
        if rng.random() < 0.4:
            links["meetings"].append(through["meetings"](article=article, meeting=rng.choice(meetings)))
        if rng.random() < 0.1:
            links["agreements"].append(through["agreements"](article=article, agreement=rng.choice(agreements)))
        for k, person in enumerate(speakers):
            quotes.append(Quote(article=article, start=k, end=k + 1, text=article.body[k], speaker=person))
    for name, rows in links.items():
        through[name].objects.bulk_create(rows, batch_size=10000)
    Quote.objects.bulk_create(quotes, batch_size=10000)
    return n_reports


def _backend_cpu():
    """CPU seconds used so far by this connection's PostgreSQL server process (it runs on this machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn, repeat):
    """Median and worst wall time, and median CPU time spent: this process (queries sent, drawing, PNG)
    plus the database server's process for this connection.

    On a shared machine the wall time includes waiting for a CPU; the CPU time
    is the work itself, what the wall time comes to on an idle machine.
    """
    runs, cpu = [], []
    for _ in range(repeat):
        cache.clear()
        started, started_cpu, started_db = time.perf_counter(), time.process_time(), _backend_cpu()
        fn()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu + _backend_cpu() - started_db)
    return statistics.median(runs), max(runs), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args()
    name = connection.settings_dict["NAME"]
    if "bench" not in str(name):
        sys.exit(f"Refusing to write synthetic data into {name!r}: use a database whose name contains 'bench'.")
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        # Keep all of a query's work in this connection's server process, where it is measured.
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    started = time.perf_counter()
    fill(args.reports)
    print(f"data ready in {time.perf_counter() - started:.1f} s on {connection.vendor} ({name})")
    published = Article.objects.published().count()
    print(f"{published} published reports, {Quote.objects.count()} quotes, {Meeting.objects.count()} meetings")

    filter_sets = {
        "no filter": QueryDict(""),
        "topic + country": QueryDict("topic=bench-topic-0&country=RU"),
        "one year": QueryDict("published_after=2016-01-01&published_before=2016-12-31"),
    }
    # On a shared machine other work competes for the CPU: the load average says how much.
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\n| chart | filters | cold: median (max) | cold: CPU (Python + PostgreSQL) | warm (cached) |")
    print("| --- | --- | --- | --- | --- |")
    with translation.override("ar"):
        for chart in charts.CHARTS:
            for label, params in filter_sets.items():
                cold, worst, cpu = timed(
                    lambda c=chart, p=params: charts.chart_png(c, charts.bound_filter(p)), args.repeat
                )
                charts.chart_png(chart, charts.bound_filter(params))
                warm = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    charts.chart_png(chart, charts.bound_filter(params))
                    warm.append(time.perf_counter() - t0)
                print(
                    f"| {chart} | {label} | {cold * 1000:.0f} ms ({worst * 1000:.0f}) | {cpu * 1000:.0f} ms "
                    f"| {statistics.median(warm) * 1000:.0f} ms |"
                )
        person = Participant.objects.get(slug="bench-person-0")
        cold, worst, cpu = timed(lambda: charts.timeline_png("participant", person), args.repeat)
        print(
            f"| participant timeline | {person.name_en} | {cold * 1000:.0f} ms ({worst * 1000:.0f}) "
            f"| {cpu * 1000:.0f} ms | |"
        )
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")

    if args.screenshots:
        write_screenshots(args.screenshots)


def write_screenshots(folder):
    from articles.charts.pdf import article_pdf_bytes, reports_for_pdf

    folder.mkdir(parents=True, exist_ok=True)
    call_command("load_demo", verbosity=0)
    for language in ("ar", "en"):
        with translation.override(language):
            for chart in charts.CHARTS:
                (folder / f"chart-{chart}-{language}.png").write_bytes(charts.chart_png(chart, charts.bound_filter({})))
            lavrov = Participant.objects.get(slug="bench-person-0")
            (folder / f"chart-timeline-participant-{language}.png").write_bytes(
                charts.timeline_png("participant", lavrov)
            )
            agreement = Agreement.objects.filter(slug__startswith="bench").order_by("pk").first()
            (folder / f"chart-timeline-agreement-{language}.png").write_bytes(
                charts.timeline_png("agreement", agreement)
            )
            seed = reports_for_pdf().get(title="ماذا حمل جون كيري في جعبته للقيادات السورية")
            prefix = "" if language == "ar" else "/en"
            pdf = article_pdf_bytes(seed, permalink=f"https://archive.example.org{prefix}/articles/{seed.pk}/")
            (folder / f"pdf-seed-{language}.pdf").write_bytes(pdf)
    print(f"screenshots written to {folder}")


if __name__ == "__main__":
    main()
