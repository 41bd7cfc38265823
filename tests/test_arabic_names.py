"""Finding known names in text (ARABIC.md, "Names in text")."""

import itertools
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.arabic import AliasMatcher, RoleResolver
from tests.arabic_seed import persons, seed_body, seed_entries

LAVROV = [("سيرغي لافروف", "lavrov"), ("سيرجي لافروف", "lavrov"), ("لافروف", "lavrov")]


def spans(matcher, text):
    return [(m.text, m.target) for m in matcher.find(text)]


def test_seed_body_person_mentions_exact():
    body = seed_body()
    matcher = AliasMatcher(seed_entries())
    found = [m for m in matcher.find(body) if m.target[1] in persons()]
    counts = Counter(m.target[1] for m in found)
    assert counts == {"kerry": 9, "lavrov": 7, "putin": 3, "obama": 1, "assad": 1}
    for m in found:
        assert body[m.start : m.end] == m.text
    texts = Counter(m.text for m in found)
    assert texts == {
        "كيري": 8,
        "جون كيري": 1,
        "لافروف": 6,
        "سيرغي لافروف": 1,
        "بوتين": 2,
        "فلاديمير بوتين": 1,
        "باراك أوباما": 1,
        "بشار الأسد": 1,
    }
    # the attached letters stay outside the span
    lil = body.index("للافروف")
    assert any(m.start == lil + 1 and m.end == lil + 7 for m in found)
    wa = body.index("ولافروف")
    assert any(m.start == wa + 1 and m.end == wa + 7 for m in found)


def test_attached_letters_are_generated():
    m = AliasMatcher(LAVROV)
    for text in [
        "لافروف",
        "ولافروف",
        "فلافروف",
        "بلافروف",
        "كلافروف",
        "للافروف",
        "وللافروف",
        "فبلافروف",
    ]:
        assert spans(m, text) == [("لافروف", "lavrov")], text


def test_no_letters_outside_the_allowed_sets():
    m = AliasMatcher(LAVROV)
    assert m.find("الافروف") == []
    assert m.find("ببلافروف") == []
    assert m.find("لافروفي") == []  # the word goes on: not the name
    assert m.find("للوللافروف") == []


def test_lil_before_an_article_alias():
    m = AliasMatcher([("الأسد", "assad")])
    [match] = m.find("قال للأسد إن")
    assert match.text == "لأسد"  # the ل of the preposition is outside
    [match] = m.find("وللأسد")
    assert match.text == "لأسد"
    [match] = m.find("والأسد")
    assert match.text == "الأسد"
    assert m.find("لالأسد") == []


def test_short_aliases_take_no_clitics():
    m = AliasMatcher([("عون", "aoun"), ("UN", "un")])
    assert spans(m, "قال عون") == [("عون", "aoun")]
    assert m.find("وعون") == []
    assert m.find("بعون الله") == []
    assert spans(m, "the UN said") == [("UN", "un")]


def test_clitics_on_the_first_word_only():
    m = AliasMatcher([("بشار الأسد", "assad")])
    assert spans(m, "وبشار الأسد") == [("بشار الأسد", "assad")]
    assert m.find("بشار والأسد") == []


def test_longest_alias_wins():
    m = AliasMatcher([*LAVROV, ("جون كيري", "kerry"), ("كيري", "kerry")])
    assert spans(m, "التقى جون كيري سيرغي لافروف") == [
        ("جون كيري", "kerry"),
        ("سيرغي لافروف", "lavrov"),
    ]


def test_names_do_not_run_across_punctuation():
    m = AliasMatcher([("بشار الأسد", "assad")])
    assert m.find("قال بشار، الأسد") == []
    assert spans(m, "قال بشار  الأسد") == [("بشار  الأسد", "assad")]


def test_false_friends_are_only_suggestions():
    m = AliasMatcher([("بشار الأسد", "assad"), ("الأسد", "assad"), ("بشار الجعفري", "jaafari")])
    # the lion is suggested; an editor rejects it
    assert spans(m, "زئير الأسد في الغابة") == [("الأسد", "assad")]
    # another Bashar is not Assad
    assert spans(m, "قال بشار الجعفري") == [("بشار الجعفري", "jaafari")]
    assert AliasMatcher([("الأسد", "assad")]).find("قال بشار الجعفري") == []


def test_diacritics_and_hamza_spellings_match_and_map_back():
    m = AliasMatcher([("أوباما", "obama")])
    text = "والرئيس أُوباما، واوباما"
    found = m.find(text)
    assert [x.text for x in found] == ["أُوباما", "اوباما"]
    for x in found:
        assert text[x.start : x.end] == x.text


def test_latin_aliases_case_insensitive():
    m = AliasMatcher([("John Kerry", "kerry")])
    assert spans(m, "said JOHN  kerry.") == [("JOHN  kerry", "kerry")]
    assert m.find("johnkerry") == []


def test_one_span_several_targets():
    m = AliasMatcher([("موسكو", "russia"), ("موسكو", "moscow")])
    assert sorted(x.target for x in m.find("في موسكو")) == ["moscow", "russia"]


def test_cost_per_text_does_not_grow_with_the_number_of_aliases():
    import time

    from articles.arabic.tokens import analyse

    small = AliasMatcher(LAVROV)
    big = AliasMatcher([(f"شخص{i} عائلة{i}", i) for i in range(20_000)] + LAVROV)
    text = "قال للافروف إن شخصا من عائلة معروفة " * 1000

    def best_of_five(matcher):
        times = []
        for _ in range(5):
            analyse.cache_clear()
            t0 = time.process_time()
            found = matcher.find(text)
            times.append(time.process_time() - t0)
        return min(times), found

    small_time, small_found = best_of_five(small)
    big_time, big_found = best_of_five(big)
    assert len(big_found) == len(small_found) == 1000
    assert big_found == small_found
    assert big_time < 3 * small_time + 0.05


def test_salam_the_name_is_not_inside_islam_or_peace():
    m = AliasMatcher([("سلام", "salam"), ("تمام سلام", "salam")])
    assert spans(m, "قال تمام سلام") == [("تمام سلام", "salam")]
    assert spans(m, "وقال سلام لسلام") == [("سلام", "salam"), ("سلام", "salam")]
    assert m.find("الإسلام والسلام للسلام السلام") == []


def test_capital_acronyms_match_only_in_capitals():
    m = AliasMatcher([("UN", "un"), ("US", "us"), ("Kerry", "kerry")])
    assert spans(m, "The UN and the US") == [("UN", "un"), ("US", "us")]
    assert m.find("he told us, un-") == []
    assert spans(m, "KERRY and kerry") == [("KERRY", "kerry"), ("kerry", "kerry")]


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text(alphabet=st.sampled_from(list("لافروكيسرغ وبلل،.\u064e\u0640ﻻ")), max_size=60))
def test_matches_are_slices_that_do_not_overlap(text):
    m = AliasMatcher([*LAVROV, ("كيري", "kerry"), ("الأسد", "assad")])
    found = m.find(text)
    for x in found:
        assert text[x.start : x.end] == x.text
    ends = [(x.start, x.end) for x in found]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(sorted(set(ends))))


# Role phrases (ARABIC.md: "Resolve them through the offices held on the article's date")

OFFICES = [
    ("kerry", "وزير الخارجية الأميركي", "US", date(2013, 2, 1), date(2017, 1, 20)),
    ("blinken", "وزير الخارجية الأميركي", "US", date(2021, 1, 26), None),
    ("carter", "وزير الدفاع الأميركي", "US", date(2015, 2, 17), date(2017, 1, 20)),
    ("obama", "رئيس الولايات المتحدة", "US", date(2009, 1, 20), date(2017, 1, 20)),
    ("putin", "الرئيس الروسي", "RU", date(2012, 5, 7), None),
    ("medvedev", "رئيس الوزراء الروسي", "RU", date(2012, 5, 8), date(2020, 1, 16)),
    ("lavrov", "وزير الخارجية الروسي", "RU", date(2004, 3, 9), None),
    ("zarif", "وزير الخارجية الإيراني", "IR", date(2013, 8, 15), date(2021, 8, 25)),
]
ON = date(2016, 3, 24)


def roles_in(text, on=ON, **kwargs):
    return [(r.text, r.target) for r in RoleResolver(OFFICES).find(text, on=on, **kwargs)]


def test_role_phrases_resolve_through_offices_on_the_date():
    assert roles_in("وأوضح الوزير الأميركي") == [("الوزير الأميركي", "kerry")]
    assert roles_in("وأوضح الوزير الأمريكي", on=date(2022, 1, 1)) == [("الوزير الأمريكي", "blinken")]
    assert roles_in("التقى نظيره الروسي") == [("نظيره الروسي", "lavrov")]
    assert roles_in("وقال وزير الخارجية الإيراني") == [("وزير الخارجية الإيراني", "zarif")]
    assert roles_in("التقى الرئيس الروسي") == [("الرئيس الروسي", "putin")]
    assert roles_in("وأكد الرئيس الأميركي") == [("الرئيس الأميركي", "obama")]


def test_role_phrases_with_attached_letters_and_feminine_forms():
    assert roles_in("ونظيره الروسي") == [("نظيره الروسي", "lavrov")]
    assert roles_in("وللرئيس الروسي") == [("لرئيس الروسي", "putin")]
    assert roles_in("مع نظيرته الروسية") == [("نظيرته الروسية", "lavrov")]


def test_role_phrase_outside_any_office_is_unresolved():
    assert roles_in("وأوضح الوزير الأميركي", on=date(2019, 1, 1)) == [("الوزير الأميركي", None)]
    assert roles_in("قال الوزير الفرنسي") == [("الوزير الفرنسي", None)]
    assert roles_in("قال الوزير") == []  # no country, no role phrase
    assert roles_in("الوزير، الأميركي") == []  # punctuation breaks the phrase


def test_without_a_date_the_people_named_settle_it():
    assert roles_in("الوزير الأميركي", on=None) == [("الوزير الأميركي", None)]
    assert roles_in("الوزير الأميركي", on=None, mentioned={"kerry", "lavrov"}) == [("الوزير الأميركي", "kerry")]


def test_foreign_minister_is_preferred_for_bare_minister():
    # both Kerry and Carter are US ministers in 2016; "الوزير" in diplomatic news is the foreign minister
    assert roles_in("الوزير الأميركي") == [("الوزير الأميركي", "kerry")]
    assert roles_in("وزير الدفاع الأميركي") == [("وزير الدفاع الأميركي", "carter")]
    # "الرئيس" is not the prime minister
    assert roles_in("الرئيس الروسي") == [("الرئيس الروسي", "putin")]


def test_latin_names_with_apostrophes_hyphens_and_abbreviation_points():
    m = AliasMatcher([("O'Brien", "obrien"), ("Jean-Marc Ayrault", "ayrault"), ("U.S.", "us")])
    assert spans(m, "said O’Brien and Jean-Marc Ayrault. The U.S. view") == [
        ("O’Brien", "obrien"),
        ("Jean-Marc Ayrault", "ayrault"),
        ("U.S", "us"),
    ]
    assert m.find("O. Brien") == []


# -- real reports (tests/realnews): hashtags, glued scripts, names that are everyday words


def test_hashtags_are_names_with_the_span_as_printed():
    from articles.arabic import supported_names

    m = AliasMatcher([("محمود عباس", "abbas"), ("عباس", "abbas")])
    text = "وتصدر وسم #محمود_عباس مواقع التواصل"
    [match] = supported_names(m.find(text), text)
    assert (match.text, match.target) == ("محمود_عباس", "abbas")
    assert text[match.start - 1] == "#"


def test_names_glued_to_latin_letters_or_punctuation():
    m = AliasMatcher([("جون كيري", "kerry"), ("كيري", "kerry"), ("Kerry", "kerry")])
    assert spans(m, "وزير الخارجية كيريKerry قال") == [("كيري", "kerry"), ("Kerry", "kerry")]
    assert spans(m, 'وذكر "كيري" في مقابلة') == [("كيري", "kerry")]
    assert spans(m, "(جون كيري)،") == [("جون كيري", "kerry")]


def test_everyday_words_are_names_only_with_support():
    from articles.arabic import supported_names

    m = AliasMatcher([("غسان سلامة", "salame"), ("سلامة", "salame"), ("محمود عباس", "abbas"), ("عباس", "abbas")])

    def found(text):
        return [x.text for x in supported_names(m.find(text), text)]

    assert found("وشدد على ضرورة الحفاظ على سلامة المدنيين في طرابلس") == []
    assert found("قال المبعوث الأممي غسان سلامة إن الحوار مستمر، وأضاف سلامة أن الانتخابات ممكنة") == [
        "غسان سلامة",
        "سلامة",
    ]
    # a title beside it is support enough; a hashtag too
    assert found("وقال الرئيس عباس إن القدس عاصمة فلسطين") == ["عباس"]
    assert found("وتداول ناشطون وسم #عباس") == ["عباس"]
    assert found("وقال عباس إن القدس عاصمة فلسطين") == []
