"""The search service: query language, odd input, snippets, filters and facets, keeping the index current."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import translation

from articles.filters import ArticleFilter, facet_counts
from articles.models import Article, Mention, Quote, Synonym
from articles.search import QueryError, search, snippet
from articles.search.query import parse
from diplomacy.models import ParticipantAlias
from tests.factories import make_article, make_participant, make_source, make_topic

pytestmark = pytest.mark.django_db


def titles(q, queryset=None):
    return [a.title for a in search(queryset if queryset is not None else Article.objects.all(), q)]


@pytest.fixture
def reports(db):
    """A few reports to search, newest last."""
    day = datetime.date(2016, 3, 1)
    made = {}
    for n, (key, title, body) in enumerate(
        [
            ("geneva", "استئناف المفاوضات في جنيف", "أعلن المبعوث استئناف المفاوضات في جنيف الأسبوع المقبل."),
            ("ceasefire", "اتفاق لوقف إطلاق النار", "وقع الطرفان اتفاقاً لوقف إطلاق النار في حلب."),
            ("pause", "دعوة إلى وقف فوري", "دعا المبعوث إلى وقف فوري لإطلاق النار في إدلب."),
            ("egypt", "مصر تدعو إلى التهدئة", "دعت مصر الأطراف إلى التهدئة والعودة للمفاوضات."),
            ("bank", "مصرف لبنان يرفع الفائدة", "قرر مصرف لبنان رفع أسعار الفائدة."),
        ]
    ):
        made[key] = make_article(title=title, body=body, published=day + datetime.timedelta(days=n))
    return made


# -- Query language ---------------------------------------------------------------------------------


def test_all_words_must_match(reports):
    assert titles("المفاوضات جنيف") == ["استئناف المفاوضات في جنيف"]
    assert titles("المفاوضات") == ["استئناف المفاوضات في جنيف", "مصر تدعو إلى التهدئة"]


def test_phrase_needs_the_words_in_order(reports):
    assert titles('"وقف إطلاق النار"') == ["اتفاق لوقف إطلاق النار"]
    assert set(titles("وقف إطلاق النار")) == {"اتفاق لوقف إطلاق النار", "دعوة إلى وقف فوري"}
    assert titles("«إطلاق النار في حلب»") == ["اتفاق لوقف إطلاق النار"]  # Arabic quotation marks too


def test_or_and_exclusion(reports):
    assert set(titles("حلب OR إدلب")) == {"اتفاق لوقف إطلاق النار", "دعوة إلى وقف فوري"}
    assert titles("النار -حلب") == ["دعوة إلى وقف فوري"]
    assert titles('النار -"في حلب"') == ["دعوة إلى وقف فوري"]  # an excluded phrase
    assert titles("حلب or إدلب") == []  # lower-case "or" is a word like any other


def test_or_binds_tighter_than_and(reports):
    assert titles("المبعوث حلب OR إدلب") == ["دعوة إلى وقف فوري"]


def test_false_friend_is_not_found(reports):
    assert titles("مصر") == ["مصر تدعو إلى التهدئة"]
    assert titles("مصرف") == ["مصرف لبنان يرفع الفائدة"]


def test_diacritics_tatweel_and_digits_in_the_query_are_folded():
    make_article(title="قمة ٢٠١٦", body="اجتمع القادة في المـفاوضات.")
    assert titles("2016") == ["قمة ٢٠١٦"]
    assert titles("۲۰۱۶") == ["قمة ٢٠١٦"]
    assert titles("المَفَاوضَات") == ["قمة ٢٠١٦"]
    assert titles("المفاوضــات") == ["قمة ٢٠١٦"]


def test_ranking_title_and_exact_spelling_first_then_recency():
    body_only = make_article(title="تقرير", body="تحدث الوزير عن المفاوضات.", published=datetime.date(2020, 1, 1))
    stripped = make_article(title="خبر", body="وتحدث عن والمفاوضات.", published=datetime.date(2021, 1, 1))
    in_title = make_article(title="المفاوضات تتعثر", body="لا جديد.", published=datetime.date(2015, 1, 1))
    older = make_article(title="خبر قديم", body="تحدث الوزير عن المفاوضات أمس.", published=datetime.date(2010, 1, 1))
    ranked = list(search(Article.objects.all(), "المفاوضات"))
    assert ranked == [in_title, body_only, older, stripped]


def test_editor_synonyms_are_used_at_once():
    make_article(title="غوتيريس في بيروت", body="وصل الأمين العام إلى بيروت.")
    assert titles("غوتيريش") == []
    Synonym.objects.create(words="غوتيريش، غوتيريس")
    assert titles("غوتيريش") == ["غوتيريس في بيروت"]


def test_synonym_needs_two_spellings():
    with pytest.raises(ValidationError):
        Synonym(words="غوتيريش").full_clean()
    assert Synonym(words="غوتيريش , غوتيريس").spellings() == ["غوتيريش", "غوتيريس"]


def test_names_across_scripts(demo):
    english = make_article(title="Kerry in Moscow", body="John Kerry met Lavrov in Moscow.", language="en")
    assert set(search(Article.objects.all(), "Lavrov")) == {demo, english}
    assert set(search(Article.objects.all(), "كيري")) == {demo, english}
    assert set(search(Article.objects.all(), "Sergey Lavrov")) == {demo, english}


def test_a_new_alias_is_searchable_at_once(demo):
    lavrov = demo.participants.get(slug="lavrov")
    assert titles("Лавров") == []
    ParticipantAlias.objects.create(participant=lavrov, name="Лавров", language="en")
    assert titles("Лавров") == [demo.title]


# -- Odd input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["", "   ", "!!! ،،، ...", '"', "«»", "OR", "OR OR", "- -", "\u200f\u200f"])
def test_queries_without_words_find_nothing(reports, q):
    assert titles(q) == []


ODD_QUERIES = [
    '"المفاوضات جنيف',  # unbalanced quote: the phrase runs to the end
    "'; DROP TABLE articles_article; --",
    "المفاوضات' OR '1'='1",
    "title:المفاوضات AND (جنيف",
    "NEAR(a b) * ^ \\ ' \" : {",
    "و",
    "ال",
    "و ال",
    "ـ",  # only tatweel
    "!!! ؟؟ ...",  # only punctuation
    "أ" * 300,
    "كلمة " * 30,
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_give_results_or_nothing_never_an_error(reports, q):
    result = list(search(Article.objects.all(), q))
    assert all(isinstance(a, Article) for a in result)
    assert Article.objects.count() == 5  # the SQL-looking text was only text


@pytest.mark.parametrize("q", [*ODD_QUERIES, "جنيف\x00", "ا" * 1000, "-جنيف", "جنيف OR -حلب"])
def test_odd_queries_on_the_search_page_and_the_api_never_end_in_a_server_error(client, reports, q):
    """The pages add facet counts and paging to the service: those must take every query too."""
    for url in ("/search/", "/en/search/", "/api/v1/articles/"):
        response = client.get(url, {"q": q, "page_size": "5"})
        assert response.status_code in (200, 400), (url, q, response.status_code)
        if response.status_code == 400:
            assert response.content  # a message, not an empty answer


def test_unbalanced_quote_is_a_phrase_to_the_end(reports):
    assert titles('جنيف "استئناف المفاوضات') == ["استئناف المفاوضات في جنيف"]


@pytest.mark.parametrize(
    ("q", "why"),
    [
        ("جنيف\x00", "NUL"),
        ("ا" * 1000, "longer than 500"),
        ("-جنيف", "only exclude"),
        ("-جنيف -حلب", "only exclude"),
        ("جنيف OR -حلب", "OR"),
        (" ".join(f"كلمة{n}" for n in range(40)), "more than 32 words"),
    ],
)
@translation.override("en")  # the reasons are matched in English; the Arabic catalogue translates them
def test_queries_that_cannot_run_say_why(reports, q, why):
    with pytest.raises(QueryError, match=why):
        search(Article.objects.all(), q)


def test_query_error_is_a_value_error():
    assert issubclass(QueryError, ValueError)


def test_the_loose_tsquery_keeps_every_word_but_no_positions_or_exclusions():
    parsed = parse('"وقف إطلاق" النار -حلب')
    exact, loose = parsed.tsquery(), parsed.tsquery(exact=False)
    assert "<->" in exact and "!" in exact
    assert "<->" not in loose and "!" not in loose and "حلب" not in loose
    assert all(word in loose for word in ("وقف", "اطلاق", "النار"))


def test_parse_lexemes_include_stripped_forms_and_spellings():
    parsed = parse("والمفاوضات سوريا")
    assert {"والمفاوضات", "المفاوضات", "مفاوضات"} <= parsed.positive[0].sequences[0][0].lexemes
    assert {"سوريا", "سوريه"} <= parsed.spellings()
    assert parsed.tsquery().count("&") == 1


# -- Snippets -----------------------------------------------------------------------------------------


def test_snippet_marks_words_as_printed(demo):
    html = snippet(demo, "لافروف")
    assert "<mark>للافروف</mark>" in html
    assert "<mark>ولافروف</mark>" in html


def test_snippet_marks_names_found_across_scripts(demo):
    assert "<mark>لافروف</mark>" in snippet(demo, "Lavrov")


def test_snippet_keeps_diacritics_and_escapes_html():
    article = make_article(title="تجربة", body="<b>نص</b> قال مُحَمَّد إن الأسد & غيره حضروا.")
    html = snippet(article, "محمد الاسد")
    assert "<mark>مُحَمَّد</mark>" in html
    assert "<mark>الأسد</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html


def test_snippet_centres_on_the_matches_and_is_short():
    article = make_article(title="طويل", body="كلام " * 200 + "المفاوضات في جنيف " + "كلام " * 200)
    html = snippet(article, "جنيف", length=120)
    assert "<mark>جنيف</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) < 200


def test_snippet_of_a_bad_query_is_the_start_of_the_body(reports):
    html = snippet(reports["egypt"], "\x00")
    assert html.startswith("دعت مصر") and "<mark>" not in html


# -- Filters and facet counts ---------------------------------------------------------------------


def filtered(query):
    filterset = ArticleFilter(QueryDict(query), queryset=Article.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_search_combines_with_filters_and_facets(demo):
    reuters = make_source(slug="reuters")
    topic = make_topic(slug="syria-talks")
    other = make_article(title="لافروف في دمشق", body="وصل لافروف إلى دمشق.", source=reuters)
    other.topics.add(topic)
    make_article(title="لا علاقة", body="نص آخر عن جنيف.", source=reuters)
    lavrov = demo.participants.get(slug="lavrov")
    Mention.objects.create(article=other, start=4, end=10, text=other.body[4:10], participant=lavrov)

    assert list(filtered("q=لافروف&source=reuters")) == [other]
    assert set(filtered("q=لافروف&participant=lavrov")) == {demo, other}
    assert list(filtered("q=لافروف&topic=syria-talks")) == [other]
    assert set(filtered("q=لافروف&country=RU")) == {demo, other}  # a distinct() filter after the ranking
    assert list(filtered("q=Lavrov&published_after=2000-01-01")) == [other]  # the seed has no date

    facets = facet_counts(filtered("q=لافروف"))
    assert [(p.slug, p.n) for p in facets["participant"]][0] == ("lavrov", 2)
    assert {c["participant__country"]: c["n"] for c in facets["country"]} == {"RU": 2, "US": 1}
    assert ("reuters", 1) in [(s.slug, s.n) for s in facets["source"]]
    assert ("syria-talks", 1) in [(t.slug, t.n) for t in facets["topic"]]
    assert facet_counts(filtered("q=لافروف&source=reuters"))["topic"] == [topic]


def test_filter_with_a_bad_query_raises_query_error(demo):
    with pytest.raises(QueryError):
        list(filtered("q=-لافروف"))


def test_search_keeps_the_callers_narrowing(reports):
    reports["geneva"].status = Article.Status.DRAFT
    reports["geneva"].save()
    assert titles("المفاوضات", Article.objects.published()) == ["مصر تدعو إلى التهدئة"]


def test_queries_of_a_search_page(reports, django_assert_num_queries):
    for n in range(30):
        make_article(title=f"المفاوضات {n}", body="نص.")
    # 1 editors' synonyms, 2 names of the participants the query words name, 3 how many reports each
    # clause matches (rarity), 4 the head of the matches by tier, then the head's words: on PostgreSQL
    # 5 the positions of the query's words read from the stored index entries; on SQLite 5-9 the
    # head's texts (reports, people, aliases, places, translations) and 10 the names protected from
    # stemming; last, the page of reports. None grows with the page size or the number of matches.
    queries = 6 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(queries):
        page = list(search(Article.objects.all(), "المفاوضات")[:5])
    with django_assert_num_queries(queries):
        page = list(search(Article.objects.all(), "المفاوضات")[:30])
    # snippets reuse the query just read: no query for each report
    with django_assert_num_queries(0):
        [snippet(a, "المفاوضات") for a in page]


# -- Keeping the index current --------------------------------------------------------------------


def test_edit_and_delete_update_the_index(reports):
    article = reports["bank"]
    article.body = "قرر المصرف المركزي رفع الفائدة في بيروت."
    article.save()
    assert titles("بيروت") == ["مصرف لبنان يرفع الفائدة"]
    assert titles("لبنان") == ["مصرف لبنان يرفع الفائدة"]  # still in the title
    article.title = "قرار المصرف المركزي"
    article.save(update_fields=["title"])
    assert titles("لبنان") == []
    article.delete()
    assert titles("بيروت") == []


def test_annotations_put_names_in_the_index(reports):
    person = make_participant(name_ar="جبران باسيل", name_en="Gebran Bassil", slug="bassil", country="LB")
    ParticipantAlias.objects.create(participant=person, name="باسيل")
    article = reports["bank"]
    assert titles("Bassil") == []
    mention = Mention.objects.create(article=article, start=4, end=8, text=article.body[4:8], participant=person)
    assert titles("Bassil") == ["مصرف لبنان يرفع الفائدة"]
    ParticipantAlias.objects.create(participant=person, name="Jebran Bassil", language="en")
    assert titles('"Jebran Bassil"') == ["مصرف لبنان يرفع الفائدة"]
    mention.delete()
    assert titles("Bassil") == []


def test_quote_translations_are_searchable(reports):
    article = reports["egypt"]
    quote = Quote.objects.create(article=article, start=0, end=7, text=article.body[:7], translation_en="De-escalation")
    assert titles("escalation") == ["مصر تدعو إلى التهدئة"]
    quote.delete()
    assert titles("escalation") == []


def test_rebuild_command_reports_progress(reports):
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out, stderr=err)
    assert "Indexed 5 reports" in out.getvalue()
    assert "indexed 2/5" in err.getvalue() and "indexed 5/5" in err.getvalue()
    assert titles("مصرف") == ["مصرف لبنان يرفع الفائدة"]


@pytest.mark.django_db(transaction=True)
def test_the_index_table_is_vacuumed_after_a_rebuild_where_it_can_be():
    from articles.search.index import vacuum

    assert vacuum() is (connection.vendor == "postgresql")
    with transaction.atomic():  # as in a migration: VACUUM cannot run there
        assert vacuum() is False


def test_postgresql_prices_tsvector_matching_so_it_reads_the_gin_index():
    """`manage.py tune_postgres`: a match costs 100 operators, not 1 (see its docstring and docs/search.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("the planner's prices are PostgreSQL's")
    call_command("tune_postgres", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'ts_match_vq'")
        assert cursor.fetchone()[0] >= 100


def test_generate_corpus_writes_annotated_indexed_reports():
    call_command("generate_corpus", "30", stdout=StringIO(), stderr=StringIO())
    assert Article.objects.published().count() == 30
    mention = Mention.objects.select_related("article", "participant").first()
    assert mention.article.body[mention.start : mention.end] == mention.text
    assert mention.participant.aliases.filter(name=mention.text).exists()
    assert mention.article.participants.filter(pk=mention.participant_id).exists()
    assert search(Article.objects.all(), mention.text).filter(pk=mention.article_id).exists()
    assert search(Article.objects.all(), "في").count() == 30
