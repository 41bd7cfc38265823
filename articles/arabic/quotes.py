"""Quotations in a report, with their kind, speaker and addressee.

Marks (ARABIC.md, "Quotations"): ``“ ”`` (either may open and either may
close: the seed prints ``لافروف”بفضل …”``), ``« »`` and ASCII ``"``. A quote
left unclosed ends where the attribution resumes (``، مضيفا``, ``، وأضاف``)
or at the end of its paragraph (a line of the body). The span covers the
words between the marks.

Kind: ``direct`` when the quote is introduced as speech (a colon, an
attribution verb or participle, ``إن``/``أن`` right before the mark, the
speaker's name right after the verb) or is a long passage (eight words or
more); otherwise ``partial``, a phrase embedded in the reporter's sentence
(``القرار الروسي “الصعب للغاية”``).

Speaker, in order:

1. for a quote that opens its sentence, an attribution right after it
   (``“…”، قال لافروف``);
2. the nearest attribution word before the quote in its paragraph (outside
   other quotes): a verb (``قال``, ``وأضاف``, ``فأكدت`` …) takes the person
   named right after it (a name or a role phrase, after optional titles),
   and a person then named with ``ل`` is the addressee (``قال كيري
   للافروف``); a verb whose subject names nobody known gives no speaker; a
   verb with no subject and a participle (``مضيفاً``) keep the current
   speaker; ``بدوره``/``من جهته`` hand the floor to the person named last
   (other than the current speaker);
3. otherwise the current speaker: the subject of the last attribution, or
   a person named at the start of the sentence;
4. otherwise the nearest person named before the quote; else ``None``.
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


#: Past-tense attribution verbs (masculine and feminine) and a few present
#: forms, normalised; ``و``/``ف`` in front are allowed.
ATTRIBUTION_VERBS = _norm_set(
    """
    قال أضاف أكد أشار أوضح تابع شدد دعا أعلن صرح لفت اعتبر رأى أفاد ذكر نفى
    حذر كشف طالب أردف استطرد اعترف أوضح علق ختم
    قالت أضافت أكدت أشارت أوضحت تابعت شددت دعت أعلنت صرحت لفتت اعتبرت رأت
    أفادت ذكرت نفت حذرت كشفت طالبت أردفت اعترفت علقت
    يقول تقول يضيف تضيف يؤكد تؤكد يشير تشير يرى ترى
    """
)

#: Attribution participles (masculine and feminine), normalised.
ATTRIBUTION_PARTICIPLES = _norm_set(
    """
    مضيفا مشيرا مؤكدا موضحا لافتا قائلا داعيا معتبرا محذرا مشددا معلنا متابعا
    مضيفة مشيرة مؤكدة موضحة لافتة قائلة داعية معتبرة محذرة مشددة معلنة متابعة
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
#: ``قال المتحدث باسم الخارجية الروسية ماريا زاخاروفا``.
TITLE_WORDS = (
    TITLES
    | _norm_set(
        """
        المتحدث المتحدثة الناطق الناطقة باسم المبعوث المبعوثة الخاص الأمين العام السفير السفيرة
        الجنرال العاهل ولي العهد الوزراء الخارجية الدفاع وزيرة رئيسة ممثل الممثل مستشار نائب النائب
        كبير كبيرة المفاوضين الأممي الدولي الرئاسة الكرملين البيت الأبيض الحكومة الجمهورية
        """
    )
    | frozenset(NISBAS)
)
MAX_TITLE_WORDS = 6

#: Definite words after a verb that are not its subject (``قال اليوم``, ``أشار إلى``).
NOT_SUBJECTS = _norm_set("إلى الى التي الذي الذين اليوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت")

#: Prepositions: a name after one is not the subject of its sentence.
PREPOSITION_WORDS = _norm_set("في من إلى الى على عن مع بين حول خلال لدى عند نحو ضد منذ عبر")

LONG_QUOTE_WORDS = 8

_OPENERS = {"“": "“”", "”": "“”", "«": "»", '"': '"', "„": "“”"}
_MARKS = re.compile("[" + "".join(_OPENERS) + "»]")
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


_VERB_FORMS = _with_clitics(ATTRIBUTION_VERBS)
_PARTICIPLE_FORMS = _with_clitics(ATTRIBUTION_PARTICIPLES)
# words that resume the reporter's voice after an unclosed quote
_RESUME_FORMS = _PARTICIPLE_FORMS | {c + w for c in ("و", "ف") for w in ATTRIBUTION_VERBS}


def _is_verb(norm: str) -> bool:
    return norm in _VERB_FORMS


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


def _find_spans(body: str, tokens: list[Token]) -> list[_Span]:
    spans: list[_Span] = []
    candidates = _resumption_candidates(tokens)
    candidate_starts = [tokens[k].start for k in candidates]
    marks = [m.start() for m in _MARKS.finditer(body)]
    k = 0
    while k < len(marks):
        i = marks[k]
        if body[i] not in _OPENERS:  # a stray closing mark
            k += 1
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
        if end > start:
            spans.append(_Span(i, start, end, close, closed))
        while k < len(marks) and marks[k] < nxt:
            k += 1
    return spans


class _Mention(NamedTuple):
    start: int
    end: int
    target: Hashable | None


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
        for r in roles.find(body, on=on, mentioned=named):
            if not any(r.start < e and s < r.end for s, e in taken):
                people.append(_Mention(r.start, r.end, r.target))
    people.sort(key=lambda m: (m.start, -m.end))
    # one mention per span (a span naming two people is ambiguous: first wins)
    dedup: list[_Mention] = []
    for m in people:
        if dedup and dedup[-1].start == m.start and dedup[-1].end == m.end:
            continue
        dedup.append(m)
    people = dedup

    return _Attributor(body, tokens, spans, people).run()


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
        nobody known, so the current speaker must not be borrowed.
        """
        j = k + 1
        skipped = 0
        explicit = False
        while j < len(self.outside) and self.outside[j].start < limit:
            if not self.adjacent(self.outside[j - 1], self.outside[j]):
                break
            mention = self.mention_at_token(j)
            if mention is not None:
                if mention.target is None:
                    # an unresolved role phrase followed at once by a name
                    nxt = self.token_index(mention.end)
                    if nxt < len(self.outside):
                        named = self.mention_at_token(nxt)
                        if named is not None and named.target is not None and named.start < limit:
                            return named, True
                return mention, True
            norm = self.outside[j].norm
            if j == k + 1 and norm.startswith("ال") and norm not in NOT_SUBJECTS:
                explicit = True  # a definite noun right after the verb is its subject
            if norm in TITLE_WORDS and skipped < MAX_TITLE_WORDS:
                skipped += 1
                j += 1
                continue
            break
        return None, explicit

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
                and k - first_in_sentence[s] < 4
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
        return [self.attribute(span) for span in self.spans]

    def attribute(self, span: _Span) -> QuoteMatch:
        body = self.body
        para = self.paragraph(span.open)
        k_quote = self.token_index(span.open)  # first outside token after the mark
        speaker: Hashable | None = None
        addressee: Hashable | None = None
        resolved = False
        direct = False

        # a quote that opens its sentence takes the attribution after it: "“…”، قال لافروف"
        opens_sentence = k_quote == 0 or self.sentence(self.outside[k_quote - 1].start) != self.sentence(span.open)
        if opens_sentence and k_quote < len(self.outside):
            after = self.outside[k_quote]
            gap = body[span.close : after.start]
            if self.paragraph(after.start) == para and not gap.strip(" ،,") and _is_verb(after.norm):
                subject, explicit = self.subject_after(k_quote, len(body) + 1)
                if subject is not None:
                    speaker = subject.target
                    addressee = self.addressee_after(subject, len(body) + 1)
                    resolved = direct = True
                elif explicit:
                    speaker, resolved, direct = None, True, True

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
            addressee,
            span.closed,
        )

    def _mention_ending_at(self, tok: Token) -> _Mention | None:
        return self.people_by_end.get(tok.end)
