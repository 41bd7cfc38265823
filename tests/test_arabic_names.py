"""Finding known names in text (ARABIC.md, "Names in text")."""

from collections import Counter

from articles.arabic import AliasMatcher

try:
    from tests.arabic_seed import persons, seed_body, seed_entries
except ImportError:  # pragma: no cover - tests/ run as a rootdir
    from arabic_seed import persons, seed_body, seed_entries

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


def test_scales_with_many_aliases():
    import time

    entries = [(f"شخص{i} عائلة{i}", i) for i in range(20_000)] + LAVROV
    matcher = AliasMatcher(entries)
    text = "قال للافروف " * 2000
    t0 = time.perf_counter()
    found = matcher.find(text)
    elapsed = time.perf_counter() - t0
    assert len(found) == 2000
    assert elapsed < 1.0
