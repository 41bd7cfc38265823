"""Role phrases (``الوزير الأميركي``, ``نظيره الروسي``) resolved to people.

A role phrase is a role word followed by a country's nisba adjective. It
names whoever held a matching office for that country on the article's date:

    >>> from datetime import date
    >>> roles = RoleResolver([("kerry", "وزير الخارجية الأميركي", "US", date(2013, 2, 1), date(2017, 1, 20))])
    >>> [(m.text, m.target) for m in roles.find("وأوضح الوزير الأميركي أن", on=date(2016, 3, 24))]
    [('الوزير الأميركي', 'kerry')]

Both tables below are plain dictionaries of normalised words; add a row to
teach the toolkit a new country adjective or role word (see docs/arabic.md).
When the date is unknown every holder of the office is a candidate, and the
people the article names settle ties (``mentioned``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from .normalize import normalize, normalize_with_map
from .tokens import tokenize

__all__ = ["NISBAS", "ROLE_WORDS", "Office", "RoleMatch", "RoleResolver", "RoleWord"]


def _nisbas(rows: dict[str, str]) -> dict[str, str]:
    table = {}
    for adjective, country in rows.items():
        word = normalize(adjective)
        table[word] = country
        table[word + "ه"] = country  # feminine: الروسية (نظيرته الروسية)
    return table


#: Country adjectives (with the article) -> ISO 3166 alpha-2 code.
NISBAS: dict[str, str] = _nisbas(
    {
        "الأميركي": "US",
        "الأمريكي": "US",
        "الروسي": "RU",
        "الإيراني": "IR",
        "السوري": "SY",
        "التركي": "TR",
        "السعودي": "SA",
        "المصري": "EG",
        "الفرنسي": "FR",
        "البريطاني": "GB",
        "الصيني": "CN",
        "الإسرائيلي": "IL",
        "الفلسطيني": "PS",
        "الأردني": "JO",
        "اللبناني": "LB",
        "العراقي": "IQ",
        "القطري": "QA",
        "الإماراتي": "AE",
        "الكويتي": "KW",
        "البحريني": "BH",
        "العماني": "OM",
        "اليمني": "YE",
        "الليبي": "LY",
        "التونسي": "TN",
        "الجزائري": "DZ",
        "المغربي": "MA",
        "السوداني": "SD",
        "الألماني": "DE",
        "الإيطالي": "IT",
        "الأوكراني": "UA",
        "الياباني": "JP",
        "الهندي": "IN",
        "الباكستاني": "PK",
        "الأفغاني": "AF",
    }
)


@dataclass(frozen=True)
class RoleWord:
    """Which office titles a role word can stand for (normalised keywords).

    ``include``: every keyword must be in the title; ``exclude``: none may be;
    ``prefer``: when several people fit, those whose title has one of these
    win (a bare ``الوزير`` in diplomatic news is the foreign minister).
    """

    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    prefer: tuple[str, ...] = ()


_MINISTER = RoleWord(include=("وزير",), prefer=("خارجيه",))
_FOREIGN_MINISTER = RoleWord(include=("وزير", "خارجيه"))
_HEAD_OF_STATE = RoleWord(include=("رءيس",), exclude=("وزراء", "حكومه", "برلمان", "مجلس"))

#: Role words (normalised, without clitics) -> the offices they stand for.
ROLE_WORDS: dict[str, RoleWord] = {
    "الوزير": _MINISTER,
    "الوزيره": _MINISTER,
    "نظيره": _MINISTER,
    "نظيرته": _MINISTER,
    "نظيريه": _MINISTER,
    "وزير الخارجيه": _FOREIGN_MINISTER,
    "وزيره الخارجيه": _FOREIGN_MINISTER,
    "وزير خارجيته": _FOREIGN_MINISTER,
    "الرءيس": _HEAD_OF_STATE,
    "الرءيسه": _HEAD_OF_STATE,
    "رءيس الوزراء": RoleWord(include=("رءيس", "وزراء")),
    "رءيس الحكومه": RoleWord(include=("رءيس",), prefer=("وزراء", "حكومه")),
    "وزير الدفاع": RoleWord(include=("وزير", "دفاع")),
}


class Office(NamedTuple):
    target: Hashable
    title_ar: str
    country: str
    start: date | None
    end: date | None


class RoleMatch(NamedTuple):
    """A role phrase at ``[start, end)``; ``target`` is None when unresolved."""

    start: int
    end: int
    text: str
    target: Hashable | None
    country: str
    role: str


_PROCLITICS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")


def _clitic_forms(word: str) -> list[tuple[str, int]]:
    """(form, letters cut) for a word with optional و/ف then ب/ك/ل (لل = ل + ال)."""
    out = [(word, 0)]
    first = [(word, 0)]
    if word[:1] in _PROCLITICS and len(word) > 3:
        first.append((word[1:], 1))
    for w, cut in first:
        if cut:
            out.append((w, cut))
        if w.startswith("لل") and len(w) > 3:
            out.append(("ا" + w[1:], cut + 1))  # للرئيس -> الرئيس, the ل cut
        elif w[:1] in _PREPOSITIONS and len(w) > 3:
            out.append((w[1:], cut + 1))
    return out


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value or None


class RoleResolver:
    """Finds role phrases in text and names the office holder they mean."""

    def __init__(
        self,
        offices: Iterable[tuple],
        nisbas: dict[str, str] | None = None,
        role_words: dict[str, RoleWord] | None = None,
    ):
        self.offices = [
            Office(
                o[0],
                normalize(o[1] or ""),
                (o[2] or "").upper(),
                _as_date(o[3]),
                _as_date(o[4]),
            )
            for o in offices
        ]
        self.nisbas = NISBAS if nisbas is None else nisbas
        self.role_words = ROLE_WORDS if role_words is None else role_words
        self._max_role_words = max((len(r.split()) for r in self.role_words), default=1)

    def resolve(
        self,
        role: str,
        country: str,
        on: date | None = None,
        mentioned: Iterable[Hashable] | None = None,
    ) -> Hashable | None:
        """The one person ``role`` (a key of ``role_words``) names, or None."""
        spec = self.role_words.get(role)
        if spec is None:
            return None
        on = _as_date(on)
        candidates = [
            o
            for o in self.offices
            if o.country == country
            and all(k in o.title_ar for k in spec.include)
            and not any(k in o.title_ar for k in spec.exclude)
            and (on is None or ((o.start is None or o.start <= on) and (o.end is None or on <= o.end)))
        ]
        preferred = [o for o in candidates if any(k in o.title_ar for k in spec.prefer)]
        if preferred:
            candidates = preferred
        targets = list(dict.fromkeys(o.target for o in candidates))
        if len(targets) > 1 and mentioned is not None:
            named = set(mentioned)
            narrowed = [t for t in targets if t in named]
            if narrowed:
                targets = narrowed
        return targets[0] if len(targets) == 1 else None

    def find(
        self,
        text: str,
        on: date | None = None,
        mentioned: Iterable[Hashable] | None = None,
    ) -> list[RoleMatch]:
        """Role phrases in ``text`` (spans without attached letters)."""
        if mentioned is not None:
            mentioned = set(mentioned)
        tokens = tokenize(text)
        out: list[RoleMatch] = []
        taken = -1  # index of the last token used by a phrase
        # a phrase ends with a country adjective: look only where there is one
        for j, tok in enumerate(tokens):
            country = self.nisbas.get(tok.norm)
            if not country:
                continue
            found = None
            for n in range(min(self._max_role_words, j - taken - 1), 0, -1):
                i = j - n
                if any(not _adjacent(text, tokens[k], tokens[k + 1]) for k in range(i, j)):
                    continue
                rest = [t.norm for t in tokens[i + 1 : j]]
                for form, cut in _clitic_forms(tokens[i].norm):
                    role = " ".join([form, *rest])
                    if role in self.role_words:
                        found = (role, cut, i)
                        break
                if found:
                    break
            if not found:
                continue
            role, cut, i = found
            first = tokens[i]
            _, offsets = normalize_with_map(first.text)
            start = first.start + offsets[cut]
            target = self.resolve(role, country, on=on, mentioned=mentioned)
            out.append(RoleMatch(start, tok.end, text[start : tok.end], target, country, role))
            taken = j
        return out


def _adjacent(text: str, a, b) -> bool:
    """Two tokens separated by spaces only (a phrase never spans punctuation)."""
    return text[a.end : b.start].strip() == ""
