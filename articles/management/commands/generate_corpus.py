"""Write N synthetic Arabic reports for measuring search at scale (never for a real archive).

Reports are built from news sentences with slots for people (with their
clitics: `ولافروف`, `للرئيس`), countries and their nisba adjectives, cities,
dates in both digit systems and both month systems, and a long tail of rarer
words, so word frequencies fall off as in real coverage: a few words are in
nearly every report, most in a handful. Each report names two to four
people, annotated as mentions (so `Article.participants` and the names in
the index are filled as in real data). Everything is written with
`bulk_create` and indexed in the same batches.
"""

import datetime
import hashlib
import itertools
import random
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import derived
from articles.models import Article, Mention, Source, Topic
from articles.search.index import Indexer, write
from diplomacy.models import Participant, ParticipantAlias

PEOPLE = [
    # key, Arabic name, English name, surname alias, country
    ("lavrov", "سيرغي لافروف", "Sergey Lavrov", "لافروف", "RU"),
    ("kerry", "جون كيري", "John Kerry", "كيري", "US"),
    ("putin", "فلاديمير بوتين", "Vladimir Putin", "بوتين", "RU"),
    ("obama", "باراك أوباما", "Barack Obama", "أوباما", "US"),
    ("assad", "بشار الأسد", "Bashar al-Assad", "الأسد", "SY"),
    ("zarif", "محمد جواد ظريف", "Mohammad Javad Zarif", "ظريف", "IR"),
    ("rouhani", "حسن روحاني", "Hassan Rouhani", "روحاني", "IR"),
    ("erdogan", "رجب طيب أردوغان", "Recep Tayyip Erdogan", "أردوغان", "TR"),
    ("netanyahu", "بنيامين نتنياهو", "Benjamin Netanyahu", "نتنياهو", "IL"),
    ("abbas", "محمود عباس", "Mahmoud Abbas", "عباس", "PS"),
    ("sisi", "عبد الفتاح السيسي", "Abdel Fattah el-Sisi", "السيسي", "EG"),
    ("shoukry", "سامح شكري", "Sameh Shoukry", "شكري", "EG"),
    ("jubeir", "عادل الجبير", "Adel al-Jubeir", "الجبير", "SA"),
    ("mistura", "ستافان دي ميستورا", "Staffan de Mistura", "دي ميستورا", ""),
    ("guterres", "أنطونيو غوتيريش", "António Guterres", "غوتيريش", "PT"),
    ("merkel", "أنغيلا ميركل", "Angela Merkel", "ميركل", "DE"),
    ("macron", "إيمانويل ماكرون", "Emmanuel Macron", "ماكرون", "FR"),
    ("tillerson", "ريكس تيلرسون", "Rex Tillerson", "تيلرسون", "US"),
    ("muallem", "وليد المعلم", "Walid Muallem", "المعلم", "SY"),
    ("hariri", "سعد الحريري", "Saad Hariri", "الحريري", "LB"),
    ("safadi", "أيمن الصفدي", "Ayman Safadi", "الصفدي", "JO"),
    ("thani", "تميم بن حمد آل ثاني", "Tamim bin Hamad Al Thani", "تميم", "QA"),
    ("jaafari", "بشار الجعفري", "Bashar Jaafari", "الجعفري", "SY"),
    ("bogdanov", "ميخائيل بوغدانوف", "Mikhail Bogdanov", "بوغدانوف", "RU"),
]
ROLES = ["وزير الخارجية", "الرئيس", "رئيس الوزراء", "المبعوث الأممي", "نائب وزير الخارجية", "السفير"]
COUNTRIES = [
    ("سوريا", "السوري"),
    ("روسيا", "الروسي"),
    ("إيران", "الإيراني"),
    ("مصر", "المصري"),
    ("لبنان", "اللبناني"),
    ("تركيا", "التركي"),
    ("العراق", "العراقي"),
    ("الأردن", "الأردني"),
    ("فلسطين", "الفلسطيني"),
    ("السعودية", "السعودي"),
    ("قطر", "القطري"),
    ("اليمن", "اليمني"),
    ("ليبيا", "الليبي"),
    ("فرنسا", "الفرنسي"),
    ("ألمانيا", "الألماني"),
    ("الصين", "الصيني"),
]
CITIES = [
    "موسكو",
    "واشنطن",
    "جنيف",
    "فيينا",
    "دمشق",
    "بيروت",
    "القاهرة",
    "طهران",
    "أنقرة",
    "الرياض",
    "الدوحة",
    "عمّان",
    "بغداد",
    "باريس",
    "برلين",
    "لندن",
    "أستانا",
    "سوتشي",
    "حلب",
    "إدلب",
    "الموصل",
    "صنعاء",
    "نيويورك",
]
MONTHS = [
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيو",
    "تموز/يوليو",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
]
NOUNS = [
    "المفاوضات",
    "الهدنة",
    "وقف إطلاق النار",
    "الاتفاق النووي",
    "المساعدات الإنسانية",
    "العملية السياسية",
    "الأزمة",
    "الحل السياسي",
    "العقوبات",
    "اللاجئين",
    "إعادة الإعمار",
    "الدستور",
    "الانتخابات",
    "المعارضة",
    "الحكومة",
    "مجلس الأمن",
    "الأمم المتحدة",
    "الجامعة العربية",
    "التعاون الاقتصادي",
    "مكافحة الإرهاب",
    "الملف الكردي",
    "الحدود",
    "الطاقة",
    "الغاز",
    "النفط",
    "الاستثمار",
    "التجارة",
    "الأمن الإقليمي",
]
VERBS = ["بحث", "ناقش", "استعرض", "تناول", "أكد", "شدد على", "دعا إلى", "رحب ب"]
SPEECH = ["قال", "وقال", "أضاف", "وأضاف", "أكد", "وأشار", "أوضح", "ولفت"]
FILLERS = [
    "في ظل التطورات الأخيرة",
    "خلال لقاء مطول",
    "في مؤتمر صحفي مشترك",
    "على هامش الاجتماعات",
    "وسط توقعات بتقدم ملموس",
    "بعد أسابيع من الجمود",
    "في اتصال هاتفي",
    "بحسب بيان رسمي",
    "وفق ما نقلت وكالات الأنباء",
    "في ختام جولة إقليمية",
]
SOURCES = [
    ("الوقت", "alwaght"),
    ("رويترز", "reuters"),
    ("الجزيرة", "aljazeera"),
    ("العربية", "alarabiya"),
    ("الشرق الأوسط", "aawsat"),
    ("سبوتنيك", "sputnik"),
    ("الأهرام", "ahram"),
    ("الحياة", "alhayat"),
]
TOPICS = [
    ("الحرب في سوريا", "syria-war-gen"),
    ("الملف النووي الإيراني", "iran-nuclear-gen"),
    ("القضية الفلسطينية", "palestine-gen"),
    ("الأزمة اليمنية", "yemen-gen"),
    ("الطاقة", "energy-gen"),
]
# the long tail: syllables for rarer words (places, projects, companies) that few reports carry
SYLLABLES = ["تل", "كفر", "دير", "عين", "بيت", "جسر", "راس", "خان", "قصر", "برج", "وادي", "مرج", "سهل", "جبل"]
STEMS = [
    "الزيتون",
    "النهر",
    "الحمام",
    "الشيخ",
    "السوق",
    "الكبير",
    "الصغير",
    "الأحمر",
    "الأبيض",
    "الغربي",
    "الشرقي",
    "البلد",
    "الجديد",
    "القديم",
    "العين",
    "الحصن",
    "الورد",
    "التوت",
    "الرمان",
    "النخيل",
]
# and single rare words (family, village, company names), drawn with a Zipf law: a long tail of words in few reports
LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
VOWELS = ["ا", "و", "ي", ""]


def rare_words(rng, n=5000):
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(LETTERS) + rng.choice(VOWELS) for _ in range(3)))
    return sorted(words)


INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
BATCH = 2000


class Command(BaseCommand):
    help = "Write N synthetic Arabic reports (published, annotated, indexed) for benchmarks. Not for real data."

    def add_arguments(self, parser):
        parser.add_argument("n", type=int, help="how many reports to write")
        parser.add_argument("--seed", type=int, default=1, help="random seed (the same seed writes the same text)")

    def handle(self, *, n, seed, **options):
        if n < 1:
            raise CommandError("N must be at least 1.")
        rng = random.Random(seed + Article.objects.count())
        people, sources, topics = self.records()
        tail = [f"{a} {b}" for a in SYLLABLES for b in STEMS]  # 280 rarer place names
        rare = rare_words(random.Random(0))
        cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(rare))))
        tail = (tail, rare, cumulative)
        indexer = Indexer()
        started, written = time.perf_counter(), 0
        while written < n:
            size = min(BATCH, n - written)
            with transaction.atomic():
                self.write_batch(rng, size, people, sources, topics, tail, indexer)
                derived.bump_generation()  # bulk_create sends no signal
            written += size
            rate = written / (time.perf_counter() - started)
            sys.stderr.write(f"wrote {written}/{n} reports ({rate:.0f}/s)\n")
        self.stdout.write(f"Wrote {n} synthetic reports in {time.perf_counter() - started:.1f} s.")

    def records(self):
        people = []
        for key, name_ar, name_en, alias, country in PEOPLE:
            person, created = Participant.objects.get_or_create(
                slug=f"gen-{key}",
                defaults={"kind": "person", "name_ar": name_ar, "name_en": name_en, "country": country},
            )
            if created:
                for name, language in ((name_ar, "ar"), (name_en, "en"), (alias, "ar")):
                    ParticipantAlias.objects.get_or_create(participant=person, name=name, language=language)
            people.append((person, name_ar, alias))
        sources = [
            Source.objects.get_or_create(slug=f"gen-{slug}", defaults={"name_ar": name})[0] for name, slug in SOURCES
        ]
        topics = [
            Topic.objects.get_or_create(slug=slug, defaults={"name_ar": name, "name_en": slug})[0]
            for name, slug in TOPICS
        ]
        return people, sources, topics

    def write_batch(self, rng, size, people, sources, topics, tail, indexer):
        drafts = []
        for _ in range(size):
            cast = rng.sample(people, rng.randint(2, 4))
            title, body, spans = self.report(rng, cast, tail)
            published = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5500))
            drafts.append((title, body, spans, published))
        articles = Article.objects.bulk_create(
            [
                Article(
                    title=title,
                    body=body,
                    published=published,
                    status=Article.Status.PUBLISHED,
                    source=rng.choice(sources),
                    content_hash=hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest(),
                )
                for title, body, _, published in drafts
            ]
        )
        mentions, covered, tagged = [], [], []
        for article, (_, _, spans, _) in zip(articles, drafts, strict=True):
            for person, start, end in spans:
                mentions.append(
                    Mention(article=article, participant=person, start=start, end=end, text=article.body[start:end])
                )
            for person_id in {person.pk for person, _, _ in spans}:
                covered.append(Article.participants.through(article_id=article.pk, participant_id=person_id))
            tagged.append(Article.topics.through(article_id=article.pk, topic_id=rng.choice(topics).pk))
        Mention.objects.bulk_create(mentions)
        Article.participants.through.objects.bulk_create(covered)
        Article.topics.through.objects.bulk_create(tagged)
        names = {person.pk: [person.name_ar, person.name_en, alias] for person, _, alias in people}
        write(
            {
                article.pk: indexer.fields(
                    article.title, article.body, sorted({n for p, _, _ in spans for n in names[p.pk]}), ()
                )
                for article, (_, _, spans, _) in zip(articles, drafts, strict=True)
            },
            indexer,
        )

    def report(self, rng, cast, tail):
        """A title and a body of 3-7 paragraphs, with the spans where each person is named."""
        spans, paragraphs = [], []
        first, second = cast[0], cast[1]
        country, nisba = rng.choice(COUNTRIES)
        city = rng.choice(CITIES)
        title = rng.choice(
            [
                f"{first[2]} يبحث مع {second[2]} {rng.choice(NOUNS)}",
                f"{rng.choice(NOUNS)} على طاولة {first[2]} في {city}",
                f"{first[2]}: لا بديل عن {rng.choice(NOUNS)} في {country}",
                f"لقاء {first[2]} و{second[2]} في {city}",
            ]
        )
        offset = 0
        for i in range(rng.randint(3, 7)):
            person = rng.choice(cast)
            other = rng.choice([p for p in cast if p is not person])
            year = str(rng.randint(2010, 2024))
            if rng.random() < 0.5:
                year = year.translate(INDIC)
            date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
            places, rare, cumulative = tail
            rare_place = rng.choice(places) if rng.random() < 0.3 else rng.choice(CITIES)
            family = rng.choices(rare, cum_weights=cumulative)[0]
            name = person[1] if i == 0 else person[2]
            clitic = rng.choice(["", "", "", "و", "ل"]) if i else ""
            lead = f"{rng.choice(VERBS)} {rng.choice(ROLES)} {nisba} "
            sentence = (
                f"{lead}{clitic}{name} مع نظيره {other[2]} {rng.choice(FILLERS)} في {city} يوم {date} "
                f"{rng.choice(NOUNS)} و{rng.choice(NOUNS)}، {rng.choice(SPEECH)} إن الوضع في {rare_place} "
                f"ومنطقة {family} يتطلب {rng.choice(NOUNS)} وإن {country} مستعدة {rng.choice(FILLERS)}."
            )
            start = offset + len(lead) + len(clitic)
            spans.append((person[0], start, start + len(name)))
            paragraphs.append(sentence)
            offset += len(sentence) + 1
        return title, "\n".join(paragraphs), spans
