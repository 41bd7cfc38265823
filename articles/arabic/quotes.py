"""Quotations in a report, with their kind, speaker, co-speakers and addressee.

Marks (ARABIC.md, "Quotations"): ``“ ”`` (either may open and either may
close: the seed prints ``لافروف”بفضل …”``), ``« »`` (also printed the other
way round, ``:»نطالب …».``) and ASCII ``"``; a ``"`` or ``»`` glued to the
word before and followed by a space, with nothing open, is a stray closing
mark. A quote left unclosed ends where the attribution resumes (``، مضيفا``,
``، وأضاف``) or at the end of its paragraph (a line of the body). The span
covers the words between the marks.

Not every pair of marks is a quotation (:func:`_is_quotation`): outlets,
groups, documents and people's names in marks (``"العربية"``, ``قانون
"…"``, ``"إعلان القاهرة"``, ``"كيري"``), and short phrases in a sentence
where nobody says anything (scare quotes) are left out.

Kind: ``direct`` when the quote is introduced as speech (a colon, an
attribution verb or participle, ``إن``/``أن`` right before the mark, the
speaker's name right after the verb) or is a long passage (eight words or
more); otherwise ``partial``, a phrase embedded in the reporter's sentence
(``القرار الروسي “الصعب للغاية”``).

Speaker, in order:

1. nobody, right after a chant or a question put (``وسط هتافات “…”``);
2. the attribution after the quote (``“…”، قال لافروف``, ``“…”، بحسب X``,
   ``“…”، هذا ما شدد عليه X``) when the quote opens its sentence or nothing
   before it in the sentence says who speaks;
3. the nearest attribution word before the quote in its paragraph (outside
   other quotes): a verb (``قال``, ``وأضاف``, ``فأكدت``, ``كتب``, ``نقلت …
   عن``) takes its subject — the person named after it, past titles,
   institutions, commas and quotation marks (``قال معالي وزير الخارجية عادل
   الجبير``), or before it after ``كان`` — and a person then named with
   ``ل`` is the addressee (``قال كيري للافروف``); ``X وY`` both speak
   (``co_speakers``); a subject nobody known gives no speaker, and a named
   one the records lack comes back as ``speaker_name``; a verb with no
   subject and a participle (``مضيفاً``) keep the current speaker;
   ``بدوره``/``من جهته`` hand the floor to the person named last (other
   than the current speaker);
4. otherwise the current speaker: the subject of the last attribution, or
   a person named at the start of the sentence;
5. otherwise the nearest person named before the quote; else ``None``.

Quotes listed together (``“…” و”…”``) share their speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable
from datetime import date
from typing import NamedTuple

from .names import AliasMatcher
from .normalize import normalize
from .roles import NISBAS, RoleResolver
from .tokens import Token, tokenize

__all__ = [
    "ATTRIBUTION_PARTICIPLES",
    "ATTRIBUTION_VERBS",
    "FLOOR_WORDS",
    "QuoteMatch",
    "find_quote_spans",
    "find_quotes",
]


def _norm_set(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


#: Past-tense attribution verbs (masculine, feminine and dual) and a few present
#: forms, normalised; ``و``/``ف`` in front are allowed. Writing counts as
#: speaking (``كتب``, ``غرد``), and so do the verbs that describe what someone
#: said (``وصف``, ``ندد``, ``اتهم``).
_PAST_VERBS = """
    قال أضاف أكد أشار أوضح تابع شدد أعلن صرح لفت اعتبر أفاد ذكر حذر كشف طالب أردف
    استطرد اعترف علق ختم أجاب أكمل استدرك أبلغ كتب غرد وصف ندد انتقد اتهم أدان
    هاجم جدد أعرب تعهد توعد رحب أشاد
    """
# dual verbs (``أكدا``, ``قالا``): two people speak at once
_DUAL_VERBS = "قال أضاف أكد أشار أوضح شدد أعلن صرح اعتبر حذر كشف طالب أعرب جدد ندد"
ATTRIBUTION_VERBS = _norm_set(
    _PAST_VERBS
    + " ".join(w + "ت" for w in _PAST_VERBS.split())
    + " ".join(w + "ا" for w in _DUAL_VERBS.split())
    + """
    رأى دعا نفى دعت نفت رأت دعوا نفيا رأيا
    يقول تقول يضيف تضيف يؤكد تؤكد يشير تشير يرى ترى يقولان يكتب تكتب يوضح توضح يتابع تتابع
    اختتم اختتمت
    """
)

#: Attribution participles (masculine and feminine), normalised.
ATTRIBUTION_PARTICIPLES = _norm_set(
    """
    مضيفا مشيرا مؤكدا موضحا لافتا قائلا داعيا معتبرا محذرا مشددا معلنا متابعا
    مضيفة مشيرة مؤكدة موضحة لافتة قائلة داعية معتبرة محذرة مشددة معلنة متابعة
    واصفا متهما منددا منتقدا مطالبا نافيا مستدركا متسائلا مدليا
    واصفة متهمة منددة منتقدة مطالبة نافية مستدركة متسائلة
    """
)

#: Words that hand the floor to another person: ``بدوره``, ``من جهته``.
FLOOR_WORDS = _norm_set("بدوره بدورها")
FLOOR_PHRASES = frozenset(("من", w) for w in _norm_set("جهته جهتها جانبه جانبها ناحيته ناحيتها"))

#: Words after which a quote is speech, not a phrase.
CONNECTORS = _norm_set("إن أن إنه أنه إنها أنها بأن بأنه بأنها أنهم إنهم")

#: Titles that may stand between a verb and its subject (``قال الرئيس بوتين``).
TITLES = _norm_set("الرئيس الوزير السيد السيدة رئيس وزير الشيخ الملك الأمير الدكتور المستشار")

#: Words that may stand between a verb and the name of its subject:
#: ``قال المتحدث باسم الخارجية الروسية ماريا زاخاروفا``, ``قال معالي وزير
#: الخارجية عادل الجبير``, ``وقال المتحدث الرسمي باسم الأجهزة الأمنية اللواء …``.
TITLE_WORDS = (
    TITLES
    | _norm_set(
        """
        المتحدث المتحدثة الناطق الناطقة باسم المبعوث المبعوثة الخاص الأمين العام السفير السفيرة
        الجنرال العاهل ولي العهد الوزراء الخارجية الدفاع وزيرة رئيسة ممثل الممثل مستشار نائب النائب
        كبير كبيرة المفاوضين الأممي الدولي الرئاسة الكرملين البيت الأبيض الحكومة الجمهورية
        معالي سمو فخامة جلالة سعادة صاحب السمو الملكي خادم الحرمين الشريفين الإمام آية الله
        اللواء العميد العقيد الفريق المشير القائد قائد زعيم الزعيم المرشد الأعلى الرسمي الرسمية
        نظيره نظيرته نظيريه مساعد المساعد المفاوض النووي السابق الأسبق الحالي الداخلية المالية
        مبعوث مندوب المندوب منسق منسقة الممثلة العليا مدير المدير سفير سفيرة خارجية السير اللورد
        الدكتورة د الراحل المستشارة رئيسا للشؤون لشؤون
        """
    )
    | frozenset(NISBAS)
)
MAX_TITLE_WORDS = 10

#: Nouns that head an institution inside a title (``رئيس مجلس الأمة``, ``باسم حكومة الإقليم``).
INSTITUTION_WORDS = _norm_set(
    """
    مجلس منظمة حكومة وزارة إقليم جماعة هيئة لجنة حزب دولة جمهورية مكتب جامعة حركة اتحاد رئاسة مفوضية وكالة
    مركز قسم إدارة شرطة مؤسسة جمعية معهد نادي بنك صندوق محافظة منطقة ولاية مديرية شركة غرفة بلدية أمانة
    """
)

#: Prepositions a title may contain (``السفير البريطاني في واشنطن``, ``سفيرة … لدى الأمم المتحدة``).
TITLE_PREPOSITIONS = _norm_set("في لدى إلى الى")

#: Indefinite nouns that are someone nobody names: ``وقال دبلوماسي غربي``, ``وقالت مصادر``.
GENERIC_SUBJECTS = _norm_set(
    """
    دبلوماسي دبلوماسيون دبلوماسيين مسؤول مسؤولون مسؤولين مسئول مسئولون مصدر مصادر متحدث خبير خبراء
    محلل محللون مراقبون مراقب شهود شاهد ناشطون ناشط نشطاء سكان مقربون مقربين تقارير وسائل مواطنون
    ناطق تقرير دراسة أحد احد بعض عدد كل مصدرا
    """
)

#: Verbs that pass on what someone said: the speaker follows ``عن`` (``ونقلت الإذاعة عن نتنياهو``).
TRANSMISSION_VERBS = _norm_set("نقل نقلت نقلا أورد أوردت")

#: Words after a quote that name its source: ``"…"، بحسب لافروف``.
SOURCE_WORDS = _norm_set("بحسب حسب وفق وفقا طبقا حسبما")

#: Words right before a quote whose words nobody in particular speaks (a chant, a question put).
NOBODYS_WORDS = _norm_set("هتافات هتاف شعار شعارات لافتات لافتة سؤال السؤال سؤالا تساؤل")

#: Words a quoted phrase is the name of, when they stand right before it
#: (``قناة "العربية"``, ``حساب «تويتر»``, ``بمعركة “أحد”``): a name, not a quotation.
#: Only the indefinite (construct) forms: after ``القرار`` a quoted phrase
#: describes it (``القرار “الصعب للغاية”``).
NAME_CONTEXT = _norm_set(
    """
    قناة صحيفة جريدة وكالة إذاعة موقع شبكة حساب برنامج عملية حزب حركة جماعة تنظيم مجموعة منظمة
    قانون مشروع مشروعات نظام مبادرة مؤتمر هيئة جبهة معركة قرار وثيقة عنوان بعنوان كتاب فيلم مسلسل
    هاشتاغ هاشتاق وسم مجلة تحالف ائتلاف طائرات مقاتلات طائرة صاروخ صواريخ اتفاقية خطة مهرجان شركة
    تلفزيون راديو محطة
    """
)

#: First words of a short quoted name (``"إعلان القاهرة"``, ``"خارطة الطريق للتعاون"``).
NAME_HEADS = _norm_set(
    "إعلان خارطة خريطة قانون حزب حركة جبهة عملية مبادرة مؤتمر مجلس منظمة جيش تنظيم وثيقة اتفاقية صفقة"
)

#: Outlets, platforms and groups the press puts in quotation marks (``"العربية"``, ``"سبأ"``).
QUOTED_NAMES = _norm_set(
    """
    العربية الجزيرة الحدث الميادين المنار سكاي تويتر فيسبوك يوتيوب إنستغرام تلغرام واتساب داعش
    سبأ واس وفا سانا إرنا فارس تسنيم الأناضول رويترز بلومبرج بلومبيرغ الحياة الأهرام حماس
    القاعدة النصرة الإخوان
    """
) | frozenset(
    normalize(n)
    for n in (
        "بي بي سي",
        "سي ان ان",
        "سي إن إن",
        "روسيا اليوم",
        "فرانس برس",
        "فوكس نيوز",
        "سكاي نيوز",
        "سكاي نيوز عربية",
        "الشرق الأوسط",
        "حزب الله",
        "جبهة النصرة",
        "واشنطن بوست",
        "نيويورك تايمز",
        "وول ستريت جورنال",
        "أسوشيتد برس",
    )
)

#: Adjectives that, alone in quotation marks, are a term (``العلاقات "العربية الإيرانية"``).
_ADJECTIVES = frozenset(NISBAS) | _norm_set(
    "العربية العربي الغربي الغربية الأوروبي الأوروبية الخليجي الخليجية الإسلامي الإسلامية الدولي الدولية"
)

#: ``كان`` before a subject placed before its verb (``وكانت السلطات أعلنت``).
_WAS_WORDS = _norm_set("كان كانت")

#: A preposition with a pronoun between a verb and its subject (``شدد عليه لافروف``).
_PRONOUN_PREPOSITIONS = _norm_set("عليه عليها إليه إليها اليه اليها به بها له لها")

#: Words that may stand between a quote and what names its speaker after it (``"…"، هذا ما أكده``).
_AFTER_QUOTE_FILLERS = _norm_set("هذا وهذا ما وهو وهي كما وذلك")

#: A quotation this short (in words) needs someone saying it in its sentence: otherwise it is a term.
SHORT_QUOTE_WORDS = 3

#: Definite words after a verb that are not its subject (``قال اليوم``, ``أشار إلى``).
NOT_SUBJECTS = _norm_set("إلى الى التي الذي الذين اليوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت")

#: Prepositions: a name after one is not the subject of its sentence.
PREPOSITION_WORDS = _norm_set("في من إلى الى على عن مع بين حول خلال لدى عند نحو ضد منذ عبر")

LONG_QUOTE_WORDS = 8

# either curly mark opens and closes; some papers print guillemets the other way round (``:»نطالب…».``)
_OPENERS = {"“": "“”", "”": "“”", "«": "»", '"': '"', "„": "“”", "»": "»«"}
_MARKS = re.compile("[" + "".join(_OPENERS) + "«]")
_QUOTE_CHARS = "".join(_OPENERS) + "«"
# before a mark that opens: a space, the start, or punctuation that introduces (``:"``, ``بـ"``, ``(«``)
_OPENING_CONTEXT = frozenset(" \t\n\u00a0:،,؛;([{«“„ـ-–—")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_RESUME_PUNCT = frozenset("،,؛;.")


class QuoteMatch(NamedTuple):
    """A quotation: ``text`` is ``body[start:end]``, the words between the marks."""

    start: int
    end: int
    text: str
    kind: str
    speaker: Hashable | None
    addressee: Hashable | None = None
    closed: bool = True
    #: the others speaking with ``speaker`` (``أكد كيري ولافروف أن …``)
    co_speakers: tuple = ()
    #: the speaker as printed when no known person is meant (``وقال سفين دزيي، المتحدث …``)
    speaker_name: str | None = None
    #: ``(start, end, title)`` of that name, and the title printed beside it
    speaker_span: tuple | None = None


class _Span(NamedTuple):
    open: int  # index of the opening mark
    start: int
    end: int
    close: int  # index after the closing mark (== end when unclosed)
    closed: bool


def _strip_clitic(norm: str) -> str:
    return norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 3 else norm


def _with_clitics(words: frozenset[str]) -> frozenset[str]:
    return words | {c + w for c in ("و", "ف") for w in words}


_VERB_FORMS = _with_clitics(ATTRIBUTION_VERBS | TRANSMISSION_VERBS)
_PARTICIPLE_FORMS = _with_clitics(ATTRIBUTION_PARTICIPLES)
# words that resume the reporter's voice after an unclosed quote
_RESUME_FORMS = _PARTICIPLE_FORMS | {c + w for c in ("و", "ف") for w in ATTRIBUTION_VERBS}


def _is_verb(norm: str) -> bool:
    """An attribution verb, with ``و``/``ف`` and an object pronoun allowed (``وهو ما أكده``)."""
    return (
        norm in _VERB_FORMS
        or (norm[-1:] == "ه" and norm[:-1] in _VERB_FORMS)
        or (norm[-2:] == "ها" and norm[:-2] in _VERB_FORMS)
    )


_DUAL_FORMS = _with_clitics(_norm_set(" ".join(w + "ا" for w in _DUAL_VERBS.split())))


def _is_dual(norm: str) -> bool:
    """A dual verb (``أكدا``, ``وقالا``): two people speak."""
    return norm in _DUAL_FORMS


def _is_participle(norm: str) -> bool:
    return norm in _PARTICIPLE_FORMS


def _resumption_candidates(tokens: list[Token]) -> list[int]:
    """Indexes of the words that can resume the reporter's voice (``مضيفا``, ``وأضاف``)."""
    return [k for k, tok in enumerate(tokens) if k and tok.norm in _RESUME_FORMS]


def _resumption(body: str, tokens: list[Token], candidates: list[int], start: int, limit: int) -> int | None:
    """Where the reporter's voice resumes inside ``body[start:limit]``, if it does.

    That is a comma (or full stop) followed by a participle, or by ``و``/``ف``
    and an attribution verb: ``، مضيفا``, ``، وأضاف``. Returns the index of
    the punctuation.
    """
    for k in candidates:
        tok = tokens[k]
        if tok.start >= limit:
            break
        prev_end = tokens[k - 1].end
        if prev_end < start:
            continue
        gap = body[prev_end : tok.start]
        hits = [gap.index(c) for c in _RESUME_PUNCT if c in gap]
        if hits:
            return prev_end + min(hits)
    return None


def find_quote_spans(body: str) -> list[tuple[int, int, bool]]:
    """``(start, end, closed)`` of every quotation, marks excluded."""
    return [(s.start, s.end, s.closed) for s in _find_spans(body, tokenize(body))]


def _looks_closing(body: str, i: int) -> bool:
    """A mark glued to the word before it and followed by a space or punctuation (``تمنعهم".``).

    Only symmetric marks (``"``) and ``»`` are read this way: when no quotation
    is open, such a mark closes something the paper never opened.
    """
    before = body[i - 1] if i else " "
    after = body[i + 1] if i + 1 < len(body) else " "
    return before not in _OPENING_CONTEXT and (after.isspace() or not after.isalnum())


def _find_spans(body: str, tokens: list[Token]) -> list[_Span]:
    spans: list[_Span] = []
    candidates = _resumption_candidates(tokens)
    candidate_starts = [tokens[k].start for k in candidates]
    marks = [m.start() for m in _MARKS.finditer(body)]
    k = 0
    while k < len(marks):
        i = marks[k]
        if body[i] not in _OPENERS or (body[i] in '"»' and _looks_closing(body, i)):
            k += 1  # a stray closing mark
            continue
        para_end = body.find("\n", i)
        if para_end < 0:
            para_end = len(body)
        closers = _OPENERS[body[i]]
        j = para_end
        for later in marks[k + 1 :]:
            if later >= para_end:
                break
            if body[later] in closers:
                j = later
                break
        closed = j < para_end
        first = bisect.bisect_left(candidate_starts, i + 1)
        resume = _resumption(body, tokens, candidates[first:], i + 1, j)
        if resume is not None:
            end, close, closed, nxt = resume, resume, False, resume
        elif closed:
            end, close, nxt = j, j + 1, j + 1
        else:
            end, close, nxt = para_end, para_end, para_end
        start = i + 1
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end > start and any(c.isalnum() for c in body[start:end]):
            spans.append(_Span(i, start, end, close, closed))
        while k < len(marks) and marks[k] < nxt:
            k += 1
    return spans


class _Mention(NamedTuple):
    start: int
    end: int
    target: Hashable | None


class _Unknown(NamedTuple):
    """Someone who speaks but whom the records do not know: the name and title as printed."""

    name: str
    start: int
    end: int
    title: str


#: Words that end a name after a verb (``… إن``, ``… الذي``, ``… في``).
_NAME_STOPS = (
    PREPOSITION_WORDS
    | CONNECTORS
    | NOT_SUBJECTS
    | GENERIC_SUBJECTS
    | _norm_set(
        """
        ان إن أن قد لم لن كان كانت الذي التي امس أمس اليوم غدا بأن لقد ثم أيضا ايضا مساء صباح يوم
        بيان مؤتمر تصريح تصريحات كلمة كلمته حديث مقابلة تغريدة لقاء رسالة خطاب اجتماع
        قبل بعد أيام ساعات عام أمين مؤخرا حاليا سابقا لقاءه حديثه
        """
    )
)
_NAME_JOINS = _norm_set("بن ابن أبو أبي آل عبد")


def _title_part(norm: str) -> bool:
    """A word that continues a title (``التجارة والصناعة``, ``لوزارة``, ``للحج``), never a name's first word."""
    word = _strip_clitic(norm)
    if word.startswith("ال") or word.startswith("لل"):
        return True
    return word[:1] in ("ل", "ب") and (word[1:] in INSTITUTION_WORDS or word[1:].startswith("ال"))


def _bare(norm: str) -> str:
    """A word without ``و``/``ف`` and a preposition in front (``وعلى``, ``بسؤال`` → ``سؤال``)."""
    word = _strip_clitic(norm)
    if word[:1] in ("ب", "ل", "ك") and len(word) > 3 and word[1:] in NOBODYS_WORDS:
        return word[1:]
    return word


def _name_like(norm: str, *, first: bool) -> bool:
    """A word that can be part of a person's name after a verb."""
    if norm in _NAME_JOINS:
        return not first
    if len(norm) < 2 or norm[0].isdigit() or norm.isascii():
        return False
    if norm in _NAME_STOPS or norm in TITLE_WORDS or norm in _ADJECTIVES or norm in INSTITUTION_WORDS:
        return False
    if norm in NAME_CONTEXT or norm in _TOLD_NOUNS or norm in SOURCE_WORDS or norm in QUOTED_NAMES:
        return False
    if _title_part(norm) and not norm.startswith("ال"):
        return False  # "لوزارة", "والصناعة", "للحج": part of a title, not of a name
    if _is_verb(norm) or _is_participle(norm) or _says(norm):
        return False
    return not (first and norm.startswith("ال"))


def find_quotes(
    body: str,
    speakers: AliasMatcher | Iterable[tuple[str, Hashable]] | None = None,
    *,
    mentions: Iterable | None = None,
    roles: RoleResolver | None = None,
    on: date | None = None,
) -> list[QuoteMatch]:
    """Quotations in ``body`` with kind, speaker and addressee.

    ``speakers`` are the people who may speak: an :class:`AliasMatcher` or
    ``(alias, target)`` pairs. ``mentions`` may be given instead (objects with
    ``start``, ``end``, ``target``, e.g. from ``AliasMatcher.find``).
    ``roles`` resolves role phrases (``الوزير الأميركي``) through the offices
    held on ``on``, the article's date.
    """
    tokens = tokenize(body)
    spans = _find_spans(body, tokens)
    if not spans:
        return []

    if mentions is None:
        if speakers is None:
            found = []
        else:
            matcher = speakers if isinstance(speakers, AliasMatcher) else AliasMatcher(speakers)
            found = matcher.find(body)
    else:
        found = list(mentions)
    people = [_Mention(m.start, m.end, m.target) for m in found]
    if roles is not None:
        named = {m.target for m in people}
        taken = [(m.start, m.end) for m in people]
        starts = {s for s, _ in taken}
        for r in roles.find(body, on=on, mentioned=named):
            if any(r.start < e and s < r.end for s, e in taken):
                continue
            # "نظيره الأمريكي دونالد ترامب": the name beside the role phrase says who is meant
            after = r.end + len(body[r.end :]) - len(body[r.end :].lstrip(" \u00a0"))
            if after in starts:
                continue
            people.append(_Mention(r.start, r.end, r.target))
    people.sort(key=lambda m: (m.start, -m.end))
    # one mention per span (a span naming two people is ambiguous: first wins)
    dedup: list[_Mention] = []
    for m in people:
        if dedup and dedup[-1].start == m.start and dedup[-1].end == m.end:
            continue
        dedup.append(m)
    people = dedup

    starts = [t.start for t in tokens]
    spans = [span for span in spans if _is_quotation(body, tokens, starts, span, people)]
    if not spans:
        return []
    return _Attributor(body, tokens, spans, people).run()


_SENTENCE_CHARS = frozenset(".!?؟\n")
_SUFFIXES = ("هما", "هم", "ها", "ه")


def _says(norm: str) -> bool:
    """Whether a word tells that someone speaks (``قال``, ``ووصفه``, ``متهما``, ``هتافات``)."""
    candidates = []
    for word in dict.fromkeys((norm, _strip_clitic(norm))):  # "واصفا" starts with its own و
        candidates.append(word)
        candidates.extend(word[: -len(x)] for x in _SUFFIXES if word.endswith(x) and len(word) - len(x) >= 3)
    return any(
        w in ATTRIBUTION_VERBS or w in ATTRIBUTION_PARTICIPLES or w in _SAYING_NOUNS or w in NOBODYS_WORDS
        for w in candidates
    )


#: Nouns for what someone told an outlet (``في تصريح لـ«سبق»``).
_TOLD_NOUNS = _norm_set("تصريح تصريحات تصريحه تصريحاته حديث حديثه مقابلة مقابلته حوار لقاء بيان")

#: Nouns that report words (``وصف … بـ"…"``, ``اتهامات بـ"…"``, ``نقلت عنه قوله``).
_SAYING_NOUNS = _norm_set("وصف اتهامات اتهام قوله القول تسميه اسماه سماه وصفها تصريح تصريحه أشاد")


def _word_before(body: str, tokens: list[Token], lo: int, mark: int) -> str:
    """The word just before a mark at ``mark`` (``lo`` the first token after it), clitics cut: ``لقناة`` → ``قناة``."""
    k = lo - 1
    while k >= 0:
        tok = tokens[k]
        if body[tok.end : mark].strip(" \u00a0ـ"):
            return ""
        if tok.norm in ("ل", "ب", "و", "ف"):  # "لـ«العربية»": the preposition stands alone
            mark, k = tok.start, k - 1
            continue
        word = _strip_clitic(tok.norm)
        if word[:1] in ("ب", "ل", "ك") and word[1:] in NAME_CONTEXT | NOBODYS_WORDS:
            word = word[1:]
        elif word.startswith("لل") and "ا" + word[1:] in NAME_CONTEXT | NOBODYS_WORDS:
            word = "ا" + word[1:]
        return word
    return ""


def _is_quotation(body: str, tokens: list[Token], starts: list[int], span: _Span, people: list[_Mention]) -> bool:
    """Whether the words between the marks are someone's words, not a name or a term in marks.

    Names: an outlet or a group the press quotes (``"العربية"``, ``"داعش"``),
    a phrase after the noun it names (``قناة "…"``, ``قانون "…"``), a short
    phrase that starts like a name (``"إعلان القاهرة"``), a person's name or
    title alone (``"كيري"``, ``"آية الله"``), initials (``"ش أ أ"``), adjectives
    alone (``"العربية الإيرانية"``). Terms: a phrase of up to three words in
    a sentence where nobody says anything (``«مخاوف» واشنطن``).
    """
    lo = bisect.bisect_left(starts, span.start)
    hi = bisect.bisect_left(starts, span.end)
    inside = tokens[lo:hi]
    if not inside:
        return False
    norms = [t.norm for t in inside]
    if " ".join(norms) in QUOTED_NAMES or all(len(n) == 1 for n in norms):
        return False
    if len(norms) <= 4 and _strip_clitic(norms[0]) in NAME_HEADS and (len(norms) == 1 or norms[1].startswith("ال")):
        return False  # "إعلان القاهرة", but not "إعلان عن نوايا"
    if _word_before(body, tokens, lo, span.open) in NAME_CONTEXT:
        return False
    if (
        len(norms) <= SHORT_QUOTE_WORDS
        and lo >= 2
        and tokens[lo - 1].norm == "ل"
        and not body[tokens[lo - 1].end : span.open].strip(" \u00a0ـ")
        and (_says(tokens[lo - 2].norm) or _strip_clitic(tokens[lo - 2].norm) in _TOLD_NOUNS)
    ):
        return False  # "قال لـ«الشرق الأوسط»", "في تصريح لـ«سبق»": told to an outlet, named in marks
    if len(norms) > SHORT_QUOTE_WORDS:
        return True
    if all(n in _ADJECTIVES for n in norms):
        return False
    covered = [any(m.start < t.end and t.start < m.end for m in people) for t in inside]
    if all(c or n in TITLE_WORDS for c, n in zip(covered, norms, strict=True)):
        return False  # a name (with its titles) in marks
    # a short phrase is a quotation only where someone says something in its sentence
    mark = span.open
    for k in range(lo - 1, max(lo - 41, -1), -1):
        if _SENTENCE_CHARS.intersection(body[tokens[k].end : mark]):
            break
        if _says(tokens[k].norm):
            return True
        mark = tokens[k].start
    # or right after it: "“…”، قال لافروف"
    mark = span.close
    for k in range(hi, min(hi + 4, len(tokens))):
        if tokens[k].start < span.close:
            continue
        if _SENTENCE_CHARS.intersection(body[mark : tokens[k].start]):
            break
        if _says(tokens[k].norm) or _strip_clitic(tokens[k].norm) in SOURCE_WORDS:
            return True
        mark = tokens[k].end
    return False


def _outside(items: list, positions: list[int], spans: list[_Span]) -> list:
    """The items (sorted, at ``positions``) that do not fall inside a quotation, marks included."""
    out = []
    prev = 0
    for span in spans:
        lo = bisect.bisect_left(positions, span.open, prev)
        hi = bisect.bisect_left(positions, max(span.close, span.open + 1), lo)
        out.extend(items[prev:lo])
        prev = hi
    out.extend(items[prev:])
    return out


class _Attributor:
    def __init__(self, body: str, tokens: list[Token], spans: list[_Span], people: list[_Mention]):
        self.body = body
        self.spans = spans
        self.all_starts = [t.start for t in tokens]
        # quotes (marks included) never overlap and come in order: bisect finds the one around a position
        self.region_opens = [s.open for s in spans]
        self.region_closes = [max(s.close, s.open + 1) for s in spans]
        self.outside = _outside(tokens, self.all_starts, spans)
        self.starts = [t.start for t in self.outside]
        self.people = _outside(people, [m.start for m in people], spans)
        self.people_starts = [m.start for m in self.people]
        self.people_by_end = {m.end: m for m in self.people}
        breaks = [m.start() for m in _SENTENCE_END.finditer(body)]
        self.breaks = _outside(breaks, breaks, spans)
        self.paragraph_breaks = [m.start() for m in re.finditer("\n", body)]
        self.unknown_surnames: dict[str, _Unknown] = {}
        self.unknown_titles: list[tuple[set[str], _Unknown]] = []
        self.co_speakers: dict[tuple[int, int], tuple] = {}
        self.events = self._topic_events()
        self.event_positions = [e[0] for e in self.events]

    # -- helpers ---------------------------------------------------------
    def quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self.region_opens, pos) - 1
        return i >= 0 and pos < self.region_closes[i]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_left(self.breaks, pos)

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_left(self.paragraph_breaks, pos)

    def mention_at_token(self, k: int) -> _Mention | None:
        tok = self.outside[k]
        i = bisect.bisect_left(self.people_starts, tok.start)
        if i < len(self.people) and self.people[i].start < tok.end:
            return self.people[i]
        return None

    def token_index(self, pos: int) -> int:
        """Index of the first outside token starting at or after ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def adjacent(self, a: Token, b: Token) -> bool:
        return self.body[a.end : b.start].strip() == ""

    def subject_after(self, k: int, limit: int) -> tuple[_Mention | None, bool]:
        """The person named right after the verb at outside token ``k``.

        Returns ``(mention, explicit)``: ``explicit`` is True when the verb
        has a subject of its own (``قالت الخارجية الروسية``) even if it names
        nobody known, so the current speaker must not be borrowed. Titles,
        institutions and appositions may stand between the verb and the name
        (``قال معالي وزير الخارجية عادل الجبير``, ``اعتبر وزير الخارجية
        الأمريكي، جون كيري،``); a name the records do not know comes back as
        a mention whose target is an :class:`_Unknown`; ``نقل … عن X`` gives X.
        """
        tokens = self.outside
        if _strip_clitic(tokens[k].norm) in TRANSMISSION_VERBS:
            return self._transmitted(k, limit)
        j = k + 1
        skipped = 0
        explicit = False
        titled = False
        while j < len(tokens) and tokens[j].start < limit:
            if not self._joined(tokens[j - 1], tokens[j], titled):
                break
            mention = self.mention_at_token(j)
            if mention is not None:
                if mention.target is None:
                    # an unresolved role phrase followed at once by a name
                    nxt = self.token_index(mention.end)
                    if nxt < len(tokens):
                        named = self.mention_at_token(nxt)
                        if named is not None and named.target is not None and named.start < limit:
                            return self._with_co_speakers(named, limit), True
                return self._with_co_speakers(mention, limit), True
            norm = tokens[j].norm
            if j == k + 1 and norm in _PRONOUN_PREPOSITIONS:
                k += 1  # "هذا ما شدد عليه لافروف": the subject follows
                j += 1
                continue
            if j == k + 1:
                if norm in GENERIC_SUBJECTS:
                    return None, True  # "وقال دبلوماسي غربي": someone nobody names
                known = self.unknown_surnames.get(norm)
                if known is not None:
                    return _Mention(tokens[j].start, tokens[j].end, known), True
                if norm.startswith("ال") and norm not in NOT_SUBJECTS and norm not in TITLES:
                    explicit = True  # a definite noun right after the verb is its subject
            title = norm in TITLE_WORDS
            if skipped < MAX_TITLE_WORDS and (
                title or (titled and (norm in INSTITUTION_WORDS or norm in TITLE_PREPOSITIONS or _title_part(norm)))
            ):
                titled = titled or title
                skipped += 1
                j += 1
                if norm in TITLE_PREPOSITIONS and j < len(tokens) and self._joined(tokens[j - 1], tokens[j], False):
                    j += 1  # "السفير البريطاني في واشنطن": the place belongs to the title
                    skipped += 1
                continue
            break
        unknown = self._unknown_name(k + 1, j, titled, limit)
        if unknown is not None:
            return unknown, True
        if titled:
            # "وأضاف المتحدث": the official this report named with that title
            words = {t.norm for t in tokens[k + 1 : j]} - TITLE_PREPOSITIONS
            for named in self.unknown_titles:
                if words <= named[0]:
                    return _Mention(tokens[k + 1].start, tokens[j - 1].end, named[1]), True
        if skipped == 1 and tokens[k + 1].norm in TITLES:
            return None, False  # "قال الرئيس ان …": the president the report is about
        if not explicit:
            return self._subject_before(k)
        return None, explicit

    def _subject_before(self, k: int) -> tuple[_Mention | None, bool]:
        """A subject written before its verb: ``وكانت السلطات العراقية أعلنت``, ``وكان كيري قال``.

        Only right after ``كان``/``كانت`` (with ``و``/``ف``), in the same clause:
        a person named there speaks; a definite noun there is someone nobody
        names. Otherwise the verb has no subject of its own.
        """
        tokens = self.outside
        for back in range(1, 5):
            i = k - back
            if i < 0 or self.body[tokens[i].end : tokens[i + 1].start].strip():
                return None, False
            if _strip_clitic(tokens[i].norm) in _WAS_WORDS:
                if back == 1:
                    return None, False  # "وكان قال": no subject
                mention = self.mention_at_token(i + 1)
                if mention is not None and mention.target is not None:
                    return mention, True
                return None, tokens[i + 1].norm.startswith("ال")
        return None, False

    def _joined(self, a: Token, b: Token, titled: bool) -> bool:
        """Two words of one subject: spaces between, or quotation marks (``قال "كارتر"``),
        or, inside a title, a comma (``وزير الخارجية الأمريكي، جون كيري``)."""
        gap = self.body[a.end : b.start].strip(" \t\u00a0" + _QUOTE_CHARS)
        return not gap or (titled and gap in ("،", ","))

    def _unknown_name(self, first: int, stop: int, titled: bool, limit: int) -> _Mention | None:
        """A person the records do not know, named after a verb: a mention with an :class:`_Unknown` target.

        ``first`` is the word after the verb and ``stop`` where the titles
        ended. A name is one to four words that are not titles, connectors or
        common nouns (``بن``, ``أبو``, ``آل`` may join them), ending at a
        definite surname (``عدنان الضميري``); it counts when a title stands
        before it (``وزير الداخلية كريم سنجاري``) or after it, set off by a
        comma (``سفين دزيي، المتحدث الرسمي``). A definite surname alone after
        a title is a name too (``الرئيس الغانم``).
        """
        tokens = self.outside
        words: list[Token] = []
        j = stop
        while j < len(tokens) and tokens[j].start < limit and len(words) < 4:
            if j > first and not self._joined(tokens[j - 1], tokens[j], False):
                break
            norm = tokens[j].norm
            if self.mention_at_token(j) is not None or not _name_like(norm, first=not words):
                break
            words.append(tokens[j])
            j += 1
            if norm.startswith("ال"):
                break  # a definite surname ends the name
        title_tokens = tokens[first:stop]
        while words and words[-1].norm in _NAME_JOINS:
            words.pop()  # "عيسى بن": the rest of the name was cut off
        if not words and titled and len(title_tokens) >= 2:
            last = title_tokens[-1]
            while title_tokens and title_tokens[-1].norm in TITLE_PREPOSITIONS:
                title_tokens = title_tokens[:-1]
            last = title_tokens[-1] if title_tokens else last
            if (
                len(title_tokens) >= 2
                and last.norm.startswith("ال")
                and last.norm not in TITLE_WORDS
                and last.norm not in _ADJECTIVES
                and not last.norm.endswith(("يين", "يون", "ات"))
                and last.norm[2:] not in INSTITUTION_WORDS  # "باسم الوزارة"
                and title_tokens[-2].norm not in ("باسم", *TITLE_PREPOSITIONS)
                and not self._joined_to_institution(title_tokens)
            ):
                words, title_tokens = [last], title_tokens[:-1]
        if not words:
            return None
        title = ""
        if titled and title_tokens:
            title = self.body[title_tokens[0].start : title_tokens[-1].end]
        else:
            # an apposition after the name: "سفين دزيي، المتحدث الرسمي باسم …"
            after = j
            if after < len(tokens) and self.body[words[-1].end : tokens[after].start].strip() in ("،", ","):
                end = after
                while end < len(tokens) and end - after < 8 and self._joined(tokens[end - 1], tokens[end], True):
                    if end > after and self.body[tokens[end - 1].end : tokens[end].start].strip():
                        break
                    end += 1
                if tokens[after].norm in TITLE_WORDS:
                    title = self.body[tokens[after].start : tokens[end - 1].end]
            if not title:
                return None
        name = self.body[words[0].start : words[-1].end]
        unknown = _Unknown(name, words[0].start, words[-1].end, title)
        self.unknown_surnames.setdefault(words[-1].norm, unknown)
        if title:
            self.unknown_titles.append(({t.norm for t in tokenize(normalize(title))}, unknown))
        return _Mention(words[0].start, words[-1].end, unknown)

    def _joined_to_institution(self, title_tokens: list[Token]) -> bool:
        """``رئيس منظمة الطاقة``: the definite word completes an institution, it is no surname."""
        return len(title_tokens) >= 2 and title_tokens[-2].norm in INSTITUTION_WORDS

    def _transmitted(self, k: int, limit: int) -> tuple[_Mention | None, bool]:
        """``ونقلت الإذاعة الإسرائيلية عن نتنياهو قوله``: the speaker follows ``عن``."""
        tokens = self.outside
        sentence = self.sentence(tokens[k].start)
        for j in range(k + 1, min(k + 16, len(tokens))):
            if tokens[j].start >= limit or self.sentence(tokens[j].start) != sentence:
                break
            norm = tokens[j].norm
            if norm in ("عنه", "عنها"):
                return None, False  # "نقلت عنه": the current speaker
            if norm == "عن":
                subject, explicit = self.subject_after(j, limit)
                return subject, explicit or subject is not None
        return None, False

    def _with_co_speakers(self, mention: _Mention, limit: int) -> _Mention:
        """Note who speaks with ``mention``: ``أكد كيري ولافروف``, ``قال شكري ونظيره الروسي``."""
        co = []
        end = mention.end
        while True:
            i = bisect.bisect_left(self.people_starts, end)
            if i >= len(self.people):
                break
            other = self.people[i]
            gap = self.body[end : other.start]
            if other.start >= limit or gap.strip(" \u00a0") not in ("و", "،و", "، و") or other.target is None:
                break
            if other.target != mention.target:
                co.append(other.target)
            end = other.end
        if co:
            self.co_speakers[(mention.start, mention.end)] = tuple(dict.fromkeys(co))
        return mention

    def addressee_after(self, mention: _Mention, limit: int) -> Hashable | None:
        j = self.token_index(mention.end)
        if j >= len(self.outside) or self.outside[j].start >= limit:
            return None
        tok = self.outside[j]
        if self.body[mention.end : tok.start].strip():
            return None
        other = self.mention_at_token(j)
        if other is None or other.start == tok.start:
            return None
        attached = normalize(self.body[tok.start : other.start])
        return other.target if attached.endswith("ل") else None

    def _topic_events(self) -> list[tuple[int, Hashable | None]]:
        """(position, person) where the current speaker is set."""
        events = []
        first_in_sentence: dict[int, int] = {}
        subject_sentences: set[int] = set()
        for k, tok in enumerate(self.outside):
            s = self.sentence(tok.start)
            first_in_sentence.setdefault(s, k)
            mention = self.mention_at_token(k)
            # a person named at the very start of a sentence is its subject,
            # unless a preposition governs the name ("وفي موسكو", "لبوتين")
            if (
                mention is not None
                and (k - first_in_sentence[s] < 4 or self._titles_only(first_in_sentence[s] + 1, k))
                and s not in subject_sentences
                and not self._governed(k, mention)
            ):
                subject_sentences.add(s)
                events.append((mention.start, mention.target, s))
            if _is_verb(tok.norm):
                subject, explicit = self.subject_after(k, len(self.body) + 1)
                if subject is not None:
                    events.append((tok.start, subject.target, s))
                elif explicit:
                    events.append((tok.start, None, s))  # someone unknown speaks now
        events.sort(key=lambda e: e[0])
        return [(pos, target) for pos, target, _ in events]

    def _titles_only(self, first: int, k: int) -> bool:
        """Whether only titles stand between the sentence's first word and word ``k``
        (``سعى وزير الخارجية الإيراني محمد جواد ظريف``)."""
        return k - first < MAX_TITLE_WORDS and all(self.outside[x].norm in TITLE_WORDS for x in range(first, k))

    def _governed(self, k: int, mention: _Mention) -> bool:
        """Whether a preposition governs the mention starting in outside token ``k``."""
        tok = self.outside[k]
        attached = normalize(self.body[tok.start : mention.start])
        if attached and attached[-1] in "بلك":
            return True
        if k == 0:
            return False
        before = self.outside[k - 1].norm
        return before in PREPOSITION_WORDS or (before[:1] in ("و", "ف") and before[1:] in PREPOSITION_WORDS)

    def topic_at(self, pos: int) -> tuple[bool, Hashable | None]:
        i = bisect.bisect_left(self.event_positions, pos)
        if i == 0:
            return False, None
        return True, self.events[i - 1][1]

    def last_named_before(self, pos: int, other_than: Hashable | None) -> Hashable | None:
        i = bisect.bisect_left(self.people_starts, pos)
        for m in reversed(self.people[:i]):
            if m.target is not None and m.target != other_than:
                return m.target
        return other_than

    def floor_before(self, k: int) -> int | None:
        """Index of ``بدوره``/``من جهته`` just before (or after) outside token ``k``."""
        tokens = self.outside
        for j in (k - 1, k - 2, k + 1):
            lo, hi = min(j, k), max(j, k)
            # the floor word belongs to this clause: nothing but spaces and commas in between
            if (
                lo >= 0
                and hi < len(tokens)
                and all(not self.body[tokens[i].end : tokens[i + 1].start].strip(" ،,") for i in range(lo, hi))
            ):
                norm = _strip_clitic(self.outside[j].norm)
                if norm in FLOOR_WORDS:
                    return j
                if j + 1 < len(self.outside) and (norm, self.outside[j + 1].norm) in FLOOR_PHRASES:
                    return j
        return None

    # -- the work --------------------------------------------------------
    def run(self) -> list[QuoteMatch]:
        out: list[QuoteMatch] = []
        for span in self.spans:
            quote = self.attribute(span)
            # "“الموت لأمريكا” و”الموت لإسرائيل”": quotes listed together have one speaker
            if out and not self.body[self.spans[len(out) - 1].close : span.open].strip(" \u00a0،,و"):
                prev = out[-1]
                quote = quote._replace(
                    speaker=prev.speaker,
                    co_speakers=prev.co_speakers,
                    speaker_name=prev.speaker_name,
                    speaker_span=prev.speaker_span,
                )
            out.append(quote)
        return out

    def attribute(self, span: _Span) -> QuoteMatch:
        body = self.body
        para = self.paragraph(span.open)
        k_quote = self.token_index(span.open)  # first outside token after the mark
        speaker: Hashable | None = None
        addressee: Hashable | None = None
        subject: _Mention | None = None
        dual_co: tuple = ()
        resolved = False
        direct = False

        # words nobody in particular speaks: a chant, a question put ("وعلى سؤال «…»")
        if k_quote and self.paragraph(self.outside[k_quote - 1].start) == para:
            prev = self.outside[k_quote - 1]
            if not body[prev.end : span.open].strip(" \u00a0ـ:،,") and _bare(prev.norm) in NOBODYS_WORDS:
                resolved = True

        # the attribution after the quote: "“…”، قال لافروف", "“…”، هذا ما أكده كيري", "“…”، بحسب كيري"
        after = None if resolved else self.attribution_after(span, para)
        opens_sentence = k_quote == 0 or self.sentence(self.outside[k_quote - 1].start) != self.sentence(span.open)
        if after is not None and (opens_sentence or not self.said_before(k_quote, span)):
            subject, explicit = after
            speaker = subject.target if subject is not None else None
            if subject is not None:
                addressee = self.addressee_after(subject, len(body) + 1)
            resolved = direct = True

        # otherwise the nearest attribution word before it, in the same paragraph
        k = k_quote - 1
        while not resolved and k >= 0 and self.paragraph(self.outside[k].start) == para:
            norm = self.outside[k].norm
            if _is_verb(norm):
                subject, explicit = self.subject_after(k, span.open)
                if subject is not None:
                    speaker = subject.target
                    addressee = self.addressee_after(subject, span.open)
                elif explicit:
                    speaker = None  # a subject nobody knows: do not borrow the last speaker
                else:
                    floor = self.floor_before(k)
                    _, topic = self.topic_at(self.outside[k].start)
                    # "بدوره قال": the floor goes to the person named last
                    speaker = topic if floor is None else self.last_named_before(self.outside[floor].start, topic)
                    if _is_dual(norm) and speaker is not None and not isinstance(speaker, _Unknown):
                        # "التقى كيري لافروف، وأكدا أن …": the two named last speak
                        other = self.last_named_before(self.outside[k].start, speaker)
                        if other is not None and other != speaker:
                            dual_co = (other,)
                resolved = True
            elif _is_participle(norm):
                _, speaker = self.topic_at(self.outside[k].start)
                resolved = True
            elif _strip_clitic(norm) in FLOOR_WORDS:
                _, topic = self.topic_at(self.outside[k].start)
                speaker = self.last_named_before(self.outside[k].start, topic)
                resolved = True
            k -= 1

        # no attribution word: the current speaker, else the nearest person named before
        if not resolved:
            known, speaker = self.topic_at(span.open)
            if not known:
                i = bisect.bisect_left(self.people_starts, span.open)
                speaker = self.people[i - 1].target if i else None

        co_speakers: tuple = dual_co
        if subject is not None and subject.target == speaker:
            co_speakers = self.co_speakers.get((subject.start, subject.end), ()) or dual_co
        speaker_name = speaker_span = None
        if isinstance(speaker, _Unknown):
            speaker_name, speaker_span = speaker.name, (speaker.start, speaker.end, speaker.title)
            speaker = None

        # kind
        words = bisect.bisect_left(self.all_starts, span.end) - bisect.bisect_left(self.all_starts, span.start)
        if not direct:
            before = body[self.outside[k_quote - 1].end : span.open] if k_quote else body[: span.open]
            if ":" in before or words >= LONG_QUOTE_WORDS:
                direct = True
            elif k_quote and self.paragraph(self.outside[k_quote - 1].start) == para:
                prev = self.outside[k_quote - 1]
                norm = prev.norm
                if _is_verb(norm) or _is_participle(norm) or norm in CONNECTORS:
                    direct = True
                else:
                    mention = self._mention_ending_at(prev)
                    if mention is not None:
                        m = self.token_index(mention.start)
                        # the mention may start inside token m-1 (attached letters)
                        k0 = m - 1 if m and self.outside[m - 1].end > mention.start else m
                        k0 -= 1
                        if k0 >= 0 and _is_verb(self.outside[k0].norm):
                            direct = True
        kind = "direct" if direct else "partial"
        return QuoteMatch(
            span.start,
            span.end,
            body[span.start : span.end],
            kind,
            speaker,
            addressee if not isinstance(addressee, _Unknown) else None,
            span.closed,
            co_speakers,
            speaker_name,
            speaker_span,
        )

    def said_before(self, k_quote: int, span: _Span) -> bool:
        """Whether a verb or participle of saying stands before the quote in its sentence."""
        sentence = self.sentence(span.open)
        k = k_quote - 1
        while k >= 0 and self.sentence(self.outside[k].start) == sentence:
            norm = self.outside[k].norm
            if _is_verb(norm) or _is_participle(norm) or _bare(norm) in _SAYING_NOUNS:
                return True
            k -= 1
        return False

    def attribution_after(self, span: _Span, para: int) -> tuple[_Mention | None, bool] | None:
        """Who the words after the quote say spoke them, if they say it.

        ``"…"، قال لافروف``, ``"…" قال X``, ``"…"، هذا ما شدد عليه X``,
        ``"…"، بحسب X``, ``"…"، وفق ما نقلت وكالة … عن X``. None when the
        quote is not followed by an attribution.
        """
        tokens = self.outside
        j = self.token_index(span.close)
        if j >= len(tokens) or self.paragraph(tokens[j].start) != para:
            return None
        if self.body[span.close : tokens[j].start].strip(" \u00a0،,"):
            return None
        for _ in range(4):
            if j >= len(tokens):
                return None
            norm = tokens[j].norm
            if _is_verb(norm):  # "قال X", "وهو ما أكده X"
                subject, explicit = self.subject_after(j, len(self.body) + 1)
                return (subject, explicit) if subject is not None or explicit else None
            if _strip_clitic(norm) in SOURCE_WORDS:
                nxt = j + 1
                if nxt < len(tokens) and tokens[nxt].norm == "ما":
                    nxt += 1
                if nxt < len(tokens) and _is_verb(tokens[nxt].norm):
                    subject, explicit = self.subject_after(nxt, len(self.body) + 1)
                else:
                    subject, explicit = self.subject_after(j, len(self.body) + 1)
                return (subject, explicit) if subject is not None else None
            if norm not in _AFTER_QUOTE_FILLERS:
                return None
            if j + 1 < len(tokens) and self.body[tokens[j].end : tokens[j + 1].start].strip():
                return None
            j += 1
        return None

    def _mention_ending_at(self, tok: Token) -> _Mention | None:
        return self.people_by_end.get(tok.end)
