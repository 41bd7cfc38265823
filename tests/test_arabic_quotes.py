"""Quote finding (ARABIC.md, "Quotations"; issue 3 item 4)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.arabic import AliasMatcher, RoleResolver, find_quotes
from tests.arabic_seed import persons, seed_annotation, seed_body, seed_entries

PEOPLE = [
    ("جون كيري", "kerry"),
    ("كيري", "kerry"),
    ("سيرغي لافروف", "lavrov"),
    ("لافروف", "lavrov"),
    ("بوتين", "putin"),
]


def quotes(text, **kwargs):
    return [(q.text, q.kind, q.speaker) for q in find_quotes(text, PEOPLE, **kwargs)]


@pytest.fixture(scope="module")
def seed_quotes():
    ann = seed_annotation()
    offices = [
        (("participant", p["key"]), o["title_ar"], o["country"], o["start"], o["end"])
        for p in ann["participants"]
        for o in p.get("offices", [])
    ]
    matcher = AliasMatcher([e for e in seed_entries() if e[1][1] in persons()])
    return find_quotes(seed_body(), matcher, roles=RoleResolver(offices))


def test_seed_all_18_quotes_exact(seed_quotes):
    body = seed_body()
    reference = seed_annotation()["quotes"]
    assert len(seed_quotes) == len(reference) == 18
    for found, ref in zip(seed_quotes, reference, strict=True):
        assert found.text == ref["text"]
        assert body[found.start : found.end] == ref["text"]
        assert found.speaker == ("participant", ref["speaker"]), ref["text"]
        assert found.kind == ref["kind"], ref["text"]
        expected_addressee = ref.get("addressee")
        assert found.addressee == (expected_addressee and ("participant", expected_addressee))


def test_seed_unclosed_quote_ends_where_attribution_resumes(seed_quotes):
    last = seed_quotes[-1]
    assert not last.closed
    assert last.text == "إجراءات إضافية للإفراج عن الأسرى والأشخاص المحتجزين"
    assert seed_body()[last.end :].startswith("، مضيفا")


def test_seed_addressee(seed_quotes):
    [q] = [q for q in seed_quotes if q.addressee]
    assert q.text.startswith("هناك تراجع ضعيف")
    assert q.addressee == ("participant", "lavrov")


def test_either_curly_mark_opens():
    assert quotes("وتابع لافروف”نعمل معا من أجل السلام في المنطقة كلها.”") == [
        ("نعمل معا من أجل السلام في المنطقة كلها.", "direct", "lavrov")
    ]
    assert quotes("وقال كيري “نعم“ ثم غادر") == [("نعم", "direct", "kerry")]


def test_guillemets_and_ascii_quotes():
    assert quotes("قال كيري: «الوضع صعب» ثم غادر.") == [("الوضع صعب", "direct", "kerry")]
    assert quotes('وقال بوتين إن "الاتفاق قائم".') == [("الاتفاق قائم", "direct", "putin")]


def test_unclosed_quote_ends_at_paragraph_end():
    text = "وقال كيري “لم يكن ذلك سهلا\nوأضاف لافروف “نعم”"
    found = find_quotes(text, PEOPLE)
    assert [(q.text, q.speaker, q.closed) for q in found] == [
        ("لم يكن ذلك سهلا", "kerry", False),
        ("نعم", "lavrov", True),
    ]


def test_unclosed_quote_ends_before_resumed_attribution_then_next_quote():
    text = "وأكد بوتين أن “الحل سياسي، مضيفاً “نحن لن ننسحب”."
    assert quotes(text) == [
        ("الحل سياسي", "direct", "putin"),
        ("نحن لن ننسحب", "direct", "putin"),
    ]
    text = "وقال كيري “الحل سياسي، وأضاف أن الأمر صعب"
    assert [q.text for q in find_quotes(text, PEOPLE)] == ["الحل سياسي"]


def test_attribution_after_the_quote():
    assert quotes("“نحن مستعدون للحوار”، قال لافروف للصحفيين.") == [("نحن مستعدون للحوار", "direct", "lavrov")]


def test_feminine_and_clitic_verbs():
    people = [("ميركل", "merkel"), ("كيري", "kerry")]
    found = find_quotes("التقى كيري ميركل، فقالت ميركل “نرحب بالاتفاق”.", people)
    assert [(q.text, q.speaker) for q in found] == [("نرحب بالاتفاق", "merkel")]


def test_participle_keeps_the_speaker_of_the_verb():
    text = "وقال بوتين إن “الأمر صعب” في لقاء مع كيري، مضيفاً “لكننا سنتابع”."
    assert [s for _, _, s in quotes(text)] == ["putin", "putin"]


def test_floor_words_hand_over_to_the_last_named_person():
    text = "التقى كيري لافروف. بدوره قال “نحن مستعدون للحوار مع الجميع دائما وفي أي وقت”."
    assert quotes(text) == [("نحن مستعدون للحوار مع الجميع دائما وفي أي وقت", "direct", "lavrov")]
    text = "وقال كيري إنه التقى لافروف. من جهته، قال “كان اللقاء مفيدا جدا لكلا الطرفين والعالم”."
    assert quotes(text)[0][2] == "lavrov"


def test_verb_without_subject_keeps_the_current_speaker():
    text = "وشدد كيري على التعاون، واضاف خلال لقائه لافروف، إن “الهدنة صامدة”."
    assert quotes(text) == [("الهدنة صامدة", "direct", "kerry")]


def test_addressee_from_lam():
    [q] = find_quotes("وقال بوتين لكيري: “أهلا بك”", PEOPLE)
    assert (q.speaker, q.addressee) == ("putin", "kerry")
    [q] = find_quotes("وقال بوتين: “أهلا بك” لكيري", PEOPLE)
    assert q.addressee is None


def test_role_phrase_as_speaker():
    from datetime import date

    roles = RoleResolver(
        [
            (
                "kerry",
                "وزير الخارجية الأميركي",
                "US",
                date(2013, 2, 1),
                date(2017, 1, 20),
            ),
            ("blinken", "وزير الخارجية الأميركي", "US", date(2021, 1, 26), None),
        ]
    )
    text = "وأوضح الوزير الأميركي أن “التعاون ممكن”."
    [q] = find_quotes(text, PEOPLE, roles=roles, on=date(2016, 3, 24))
    assert q.speaker == "kerry"
    [q] = find_quotes(text, PEOPLE, roles=roles, on=date(2023, 1, 1))
    assert q.speaker == "blinken"


def test_unresolved_role_phrase_does_not_borrow_the_previous_speaker():
    roles = RoleResolver([])
    text = "وقال كيري “نعم”. وقال الوزير الفرنسي “لا أوافق”."
    found = find_quotes(text, PEOPLE, roles=roles)
    assert [q.speaker for q in found] == ["kerry", None]


def test_partial_quotes_are_phrases_in_the_reporters_sentence():
    text = "ووصف كيري القرار بأنه “شجاع” وأشاد بـ“روح التعاون”."
    assert [(t, k) for t, k, _ in quotes(text)] == [
        ("شجاع", "direct"),
        ("روح التعاون", "partial"),
    ]
    assert quotes("أشاد كيري بما أسماه القرار “الصعب للغاية” الذي اتخذته موسكو") == [
        ("الصعب للغاية", "partial", "kerry")
    ]


def test_quoted_names_do_not_speak():
    text = "وقال كيري “لافروف صديقي”، مضيفاً “بوتين قال كلمته”."
    assert [s for _, _, s in quotes(text)] == ["kerry", "kerry"]


def test_no_quotes():
    assert find_quotes("لا اقتباس هنا", PEOPLE) == []
    assert find_quotes("", PEOPLE) == []
    assert find_quotes("“”", PEOPLE) == []


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text(alphabet=st.sampled_from(list('قال كيري لافروف مضيفا،:.\n“”«»"و')), max_size=80))
def test_quotes_never_fail_and_spans_slice_the_text(text):
    for q in find_quotes(text, PEOPLE):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.kind in ("direct", "partial")


def test_titles_between_verb_and_name():
    people = [*PEOPLE, ("ماريا زاخاروفا", "zakharova")]
    text = "وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن “الحوار مستمر”."
    assert [(q.speaker, q.kind) for q in find_quotes(text, people)] == [("zakharova", "direct")]


def test_an_unknown_subject_does_not_borrow_the_last_speaker():
    text = "وقال كيري “نعم”. وقالت الخارجية الروسية في بيان “لا”، مضيفة “أبدا”."
    assert [s for _, _, s in quotes(text)] == ["kerry", None, None]
    text = "وقال كيري “نعم”. وقال اليوم إن “الأمر محسوم”."
    assert [s for _, _, s in quotes(text)] == ["kerry", "kerry"]


SECOND_REPORT = """أعلن وزير الخارجية الإيراني محمد جواد ظريف، صباح الثلاثاء، أن المفاوضات النووية في فيينا "بلغت مرحلة حساسة"، مشيراً إلى أن طهران لن تقبل «أي شروط جديدة».
وفي المقابل، قال الوزير الأمريكي للصحفيين: «نحن قريبون من اتفاق، لكن ما زالت هناك خلافات جدية»، فيما أكدت المتحدثة باسم الاتحاد الأوروبي أن الجولة المقبلة ستعقد في 14 تموز (يوليو) 2015.
“لن نوقع اتفاقا سيئا”، قال كيري لظريف خلال لقاء ثنائي، وأضاف “الكرة في ملعب طهران”.
من جهته، صرح ظريف بأن “الاتفاق ممكن إذا توفرت الإرادة السياسية لدى الجميع في هذه المفاوضات الصعبة”.
ويذكر أن الرئيس الأسد كان قد رحب بـ“التقدم” في المفاوضات، في حين زأر الأسد في حديقة الحيوان."""  # noqa: E501


def test_a_second_report_end_to_end():
    from datetime import date

    from articles.arabic import find_dates

    people = [
        ("محمد جواد ظريف", "zarif"),
        ("ظريف", "zarif"),
        ("كيري", "kerry"),
        ("بشار الأسد", "assad"),
        ("الأسد", "assad"),
    ]
    roles = RoleResolver(
        [
            ("kerry", "وزير الخارجية الأميركي", "US", date(2013, 2, 1), date(2017, 1, 20)),
            ("zarif", "وزير الخارجية الإيراني", "IR", date(2013, 8, 15), date(2021, 8, 25)),
        ]
    )
    matcher = AliasMatcher(people)
    # the lion is suggested too: a false friend for the editor to reject
    assert [m.target for m in matcher.find(SECOND_REPORT)] == ["zarif", "kerry", "zarif", "zarif", "assad", "assad"]
    found = find_quotes(SECOND_REPORT, matcher, roles=roles, on=date(2015, 7, 7))
    assert [(q.text, q.kind, q.speaker, q.addressee) for q in found] == [
        ("بلغت مرحلة حساسة", "partial", "zarif", None),
        ("أي شروط جديدة", "partial", "zarif", None),
        ("نحن قريبون من اتفاق، لكن ما زالت هناك خلافات جدية", "direct", "kerry", None),
        ("لن نوقع اتفاقا سيئا", "direct", "kerry", "zarif"),
        ("الكرة في ملعب طهران", "direct", "kerry", None),
        ("الاتفاق ممكن إذا توفرت الإرادة السياسية لدى الجميع في هذه المفاوضات الصعبة", "direct", "zarif", None),
        ("التقدم", "partial", "assad", None),
    ]
    assert [(d.text, d.date) for d in find_dates(SECOND_REPORT, date(2015, 7, 7))] == [
        ("صباح الثلاثاء", date(2015, 7, 7)),
        ("14 تموز (يوليو) 2015", date(2015, 7, 14)),
    ]


def test_a_place_after_a_preposition_is_not_the_speaker():
    people = [*PEOPLE, ("موسكو", "russia")]
    text = "وقال كيري “نعم”.\nوفي موسكو، قال “نرحب بذلك”."
    assert [q.speaker for q in find_quotes(text, people)] == ["kerry", "kerry"]
    text = "وقال كيري “نعم”.\nموسكو قالت “نرحب بذلك”."
    assert [q.speaker for q in find_quotes(text, people)] == ["kerry", "russia"]


# -- real reports (tests/realnews): what the press puts in quotation marks, and who speaks


REAL_PEOPLE = [
    ("جون كيري", "kerry"),
    ("كيري", "kerry"),
    ("سيرغي لافروف", "lavrov"),
    ("لافروف", "lavrov"),
    ("عادل الجبير", "jubeir"),
    ("الجبير", "jubeir"),
    ("سامح شكري", "shoukry"),
    ("شكري", "shoukry"),
    ("محمود عباس", "abbas"),
    ("عباس", "abbas"),
    ("الزياني", "zayani"),
    ("خامنئي", "khamenei"),
    ("نتنياهو", "netanyahu"),
    ("ستيفان دي مستورا", "de-mistura"),
    ("خالد العطية", "attiyah"),
    ("العطية", "attiyah"),
    ("رجب طيب اردوغان", "erdogan"),
    ("دونالد ترامب", "trump"),
    ("محمد جواد ظريف", "zarif"),
    ("ظريف", "zarif"),
]


def real(text, **kwargs):
    return [(q.text, q.speaker) for q in find_quotes(text, REAL_PEOPLE, **kwargs)]


def test_outlets_names_and_documents_in_marks_are_not_quotes():
    assert real('وفي مقابلة مع قناة "العربية"، أكد كيري أنه سيلتقي نظراءه من دول مجلس التعاون.') == []
    assert real('وذكر "كيري" في مقابلة تلفزيونية مع قناة "سي ان ان" الأمريكية، أنه يختلف مع الانتقادات.') == []
    assert real('أكد وزير الخارجية المصري سامح شكري أن صدور "إعلان القاهرة" سيعزز التعاون.') == []
    assert real("وقال الرئيس الغانم في تغريدة له على حساب «تويتر»: إن تصرف النائب مرفوض.") == []
    assert real('وقال تيلرسون فى بيان نشرته "روسيا اليوم"، "نتوقع أن تتخذ هذه الدول خطوات لتهدئة الوضع".') == [
        ("نتوقع أن تتخذ هذه الدول خطوات لتهدئة الوضع", None)
    ]


def test_scare_quotes_in_the_reporters_voice_are_not_quotes():
    text = "سيبحث كيري ومساعده مع المسئولين المصريين «مخاوف» واشنطن بشأن «قضايا حقوق الإنسان» في مصر."
    assert real(text) == []
    # but a short phrase someone said is one: "متهما “قوى سوداء”"
    text = "نفى الرئيس التركي رجب طيب اردوغان بقوة الجمعة الاتهامات، متهما “قوى سوداء” بنشر دعاية اعلامية خاطئة."
    assert real(text) == [("قوى سوداء", "erdogan")]


def test_guillemets_printed_the_other_way_round():
    text = "وقال عباس لدى ترؤسه اجتماعا طارئا في رام الله:»نطالب المجتمع الدولي بأن تسمى منظمات المستوطنين إرهابية»."
    assert real(text) == [("نطالب المجتمع الدولي بأن تسمى منظمات المستوطنين إرهابية", "abbas")]


def test_a_closing_mark_nobody_opened_opens_nothing():
    text = 'وأضاف أن "آية الله" لن يدخل في مفاوضات أخرى، بينما الاتفاقية تلزمهم وتمنعهم".   وأشار "جون كيري" إلى أن العملية بدأت.'  # noqa: E501
    assert real(text) == []


def test_subject_after_honorifics_titles_and_commas():
    text = 'وقال شكري "إن الزيارة تأتي في إطار التواصل". ومن جانبه، قال معالي وزير الخارجية عادل الجبير "إن هناك رغبة بين البلدين".'  # noqa: E501
    assert [s for _, s in real(text)] == ["shoukry", "jubeir"]
    text = (
        'اعتبر وزير الخارجية الأمريكي، جون كيري، أن تصريحات المرشد الأعلى،"مقلقة للغاية ومزعجة"، وهذا أحد أسباب لقائه.'
    )
    assert real(text) == [("مقلقة للغاية ومزعجة", "kerry")]
    assert real('وقال "الزياني": "هذا التصريح لخامنئي يمثل استفزازاً وتدخلاً مرفوضاً".') == [
        ("هذا التصريح لخامنئي يمثل استفزازاً وتدخلاً مرفوضاً", "zayani")
    ]


def test_the_subject_of_the_verb_not_the_nearest_name():
    text = "هاجم الرئيس التركي رجب طيب اردوغان نظيره الأمريكي دونالد ترامب، محذرا من “عواقب وخيمة على المنطقة”."
    assert real(text) == [("عواقب وخيمة على المنطقة", "erdogan")]


def test_a_role_phrase_beside_a_name_means_that_person():
    from datetime import date

    roles = RoleResolver([("obama", "رئيس الولايات المتحدة", "US", date(2009, 1, 20), date(2017, 1, 20))])
    text = "وقال نظيره الأمريكي دونالد ترامب إن “الاتفاق سيئ للغاية”."
    [q] = find_quotes(text, REAL_PEOPLE, roles=roles, on=date(2016, 3, 1))
    assert q.speaker == "trump"


def test_reported_speech_through_an_outlet():
    text = (
        'اعتبر نتنياهو أن التصريحات الأخيرة لمرشد إيران علي خامنئي "لا تدل على نية إيران تغيير سياستها". '
        'وكان خامنئي أكد أن بلاده لن تغير سياستها في مواجهة "الحكومة الأميركية المتغطرسة". '
        'ونقلت الإذاعة الإسرائيلية عن نتنياهو القول إنه "من يظن أن التنازلات ستؤدي إلى تغيير سياستها قد تلقى الرد". '
        'وأضاف في مستهل الاجتماع الأسبوعي لحكومته أن "إيران لا تبذل جهدا لإخفاء نيتها".'
    )
    assert [s for _, s in real(text)] == ["netanyahu", "khamenei", "netanyahu", "netanyahu"]
    text = (
        'أكد وزير الخارجية الأمريكي جون كيري، أن اتفاق التهدئة بشأن سوريا "لم يمت بعد".\n'
        'ونقلت هيئة الإذاعة البريطانية "بي بي سي"، اليوم الثلاثاء، عن المبعوث الأممي إلى سوريا ستيفان دي مستورا '
        'قوله: إن "الأمل ما زال حيًا في إحياء الهدنة"، لافتًا إلى أن المندوبين اتفقوا بأنها في خطر.'
    )
    assert real(text) == [("لم يمت بعد", "kerry"), ("الأمل ما زال حيًا في إحياء الهدنة", "de-mistura")]


def test_attribution_after_the_quote_in_its_forms():
    assert real("وقال كيري إن الهدنة صامدة. “علينا أن نبذل المزيد”، هذا ما شدد عليه لافروف.")[0][1] == "lavrov"
    assert real("وقال كيري إن الهدنة صامدة. “علينا أن نبذل المزيد”، بحسب لافروف.")[0][1] == "lavrov"
    assert real("وقال كيري إن الهدنة صامدة. “علينا أن نبذل المزيد” قال لافروف.")[0][1] == "lavrov"


def test_writing_is_speaking():
    text = "وكتب ظريف في حسابه على تويتر: “لقد أجريت محادثات ممتازة في الكويت وقطر والعراق”."
    assert real(text) == [("لقد أجريت محادثات ممتازة في الكويت وقطر والعراق", "zarif")]


def test_two_speakers_at_once():
    [q] = find_quotes("أكد كيري ولافروف أن “الهدنة صامدة رغم الخروقات”.", REAL_PEOPLE)
    assert (q.speaker, q.co_speakers) == ("kerry", ("lavrov",))
    [q] = find_quotes("وأكدا كيري ولافروف في مؤتمر صحفي أن “الهدنة صامدة”.", REAL_PEOPLE)
    assert (q.speaker, q.co_speakers) == ("kerry", ("lavrov",))
    [q] = find_quotes("وقال كيري إن “الهدنة صامدة”.", REAL_PEOPLE)
    assert q.co_speakers == ()


def test_an_official_the_records_do_not_know_is_named_not_replaced():
    text = (
        "أعلنت حكومة إقليم كردستان أن زيارة وزير الخارجية القطري خالد العطية جاءت تكملة لزيارته إلى بغداد.\n"
        "وقال سفين دزيي، المتحدث الرسمي باسم حكومة إقليم كردستان، لـ«الشرق الأوسط»: «عندما زار وزير الخارجية "
        "القطري بغداد كان من بين برنامج عمله زيارة الإقليم». وأضاف أن «الإقليم جزء من العراق».\n"
        "وقال العطية في مؤتمر صحافي: «زيارتنا إلى الإقليم جاءت استكمالا لزيارتنا إلى بغداد».\n"
        "من جانبه، قال وزير الداخلية كريم سنجاري: «الزيارة جاءت لتوطيد العلاقات بين الإقليم ودولة قطر»."
    )
    found = find_quotes(text, REAL_PEOPLE)
    assert [(q.speaker, q.speaker_name) for q in found] == [
        (None, "سفين دزيي"),
        (None, "سفين دزيي"),
        ("attiyah", None),
        (None, "كريم سنجاري"),
    ]
    start, end, title = found[0].speaker_span
    assert text[start:end] == "سفين دزيي"
    assert title == "المتحدث الرسمي باسم حكومة إقليم كردستان"
    assert found[3].speaker_span[2] == "وزير الداخلية"


def test_unnamed_sources_chants_and_questions_have_no_speaker():
    text = (
        'وقال فابيوس إن الاتفاق متوازن. وقال دبلوماسي غربي كبير إن القيود تكفي. وقال المسؤول "طموحنا هو دمج البرنامج".'
    )
    assert real(text) == [("طموحنا هو دمج البرنامج", None)]
    text = "وأبلغ خامنئي أنصاره يوم السبت أن سياسات أمريكا تختلف مع سياسات إيران وسط هتافات “الموت لأمريكا” و”الموت لإسرائيل”."  # noqa: E501
    assert [s for _, s in real(text)] == [None, None]
    text = (
        "وعلى سؤال «هل ستستخدم الولايات المتحدة نفوذها لدى إيران؟»، أجاب كيري: «تفاوضنا مع ايران في الملف النووي فقط»."
    )
    assert [s for _, s in real(text)] == [None, "kerry"]


def test_a_bare_title_is_the_person_the_report_is_about():
    text = (
        "نفى الرئيس التركي رجب طيب اردوغان بقوة الجمعة الاتهامات بان تركيا تساعد التنظيم.\n"
        "وخلال زيارة الى اندونيسيا، قال الرئيس ان تركيا عانت من “خسائر كبيرة” في معركتها ضد الارهابيين."
    )
    assert real(text) == [("خسائر كبيرة", "erdogan")]


def test_the_speaker_named_after_an_object_pronoun_then_a_participle():
    text = "وقال كيري إن الهدنة صامدة. وهو ما أكده لافروف، قائلاً: “علينا أن نبذل المزيد”."
    assert real(text) == [("علينا أن نبذل المزيد", "lavrov")]


def test_an_outlet_told_something_is_named_in_marks_not_quoted():
    [q] = find_quotes("وقال سفين دزيي في تصريح لـ«سبق»: «الزيارة مهمة جدا للإقليم».", REAL_PEOPLE)
    assert (q.text, q.speaker) == ("الزيارة مهمة جدا للإقليم", None)
    # but "جاءت لـ«…»" is no outlet: "واصفا زيارته بأنها جاءت لـ«إعلان عن نوايا»"
    text = "سعى وزير الخارجية الإيراني محمد جواد ظريف إلى التودد، واصفا زيارته بأنها جاءت لـ«إعلان عن نوايا» بلاده."
    assert real(text) == [("إعلان عن نوايا", "zarif")]


def test_titles_run_on_through_institutions_until_the_name():
    found = find_quotes("وقال وزير التجارة والصناعة توفيق الربيعة إن “الأسعار مستقرة هذا العام”.", REAL_PEOPLE)
    assert [(q.speaker, q.speaker_name, q.speaker_span[2]) for q in found] == [
        (None, "توفيق الربيعة", "وزير التجارة والصناعة")
    ]
    found = find_quotes("وقال المتحدث الرسمي لوزارة الصحة حسام عبدالغفار إن “الوضع تحت السيطرة”.", REAL_PEOPLE)
    assert [(q.speaker_name, q.speaker_span[2]) for q in found] == [("حسام عبدالغفار", "المتحدث الرسمي لوزارة الصحة")]
    # a title with no name names nobody: "باسم الوزارة" is no surname
    [q] = find_quotes("وقال كيري “نعم”. وقال المتحدث الرسمي باسم الوزارة إن “الوضع هادئ”.", REAL_PEOPLE)[1:]
    assert (q.speaker, q.speaker_name) == (None, None)


def test_a_subject_written_before_its_verb_after_kana():
    text = (
        "وقال كيري إن الحرب على التنظيم مستمرة.\n"
        "وكانت السلطات العراقية اعلنت في يناير (كانون الثاني) «تحرير» المدينة من التنظيم."
    )
    assert real(text) == [("تحرير", None)]
    text = "وقال كيري “نعم”. وكان لافروف أكد أن “الهدنة صامدة”."
    assert [s for _, s in real(text)] == ["kerry", "lavrov"]


def test_a_dual_verb_without_a_subject_gives_the_two_named_last():
    [q] = find_quotes("التقى كيري لافروف في موسكو، وأكدا أن “الهدنة صامدة رغم الخروقات”.", REAL_PEOPLE)
    assert (q.speaker, q.co_speakers) == ("kerry", ("lavrov",))
    # reported speech after the quote through an agency
    text = "وقال كيري إن الهدنة صامدة. “علينا أن نبذل المزيد”، وفق ما نقلت وكالة رويترز عن لافروف."
    assert real(text) == [("علينا أن نبذل المزيد", "lavrov")]
