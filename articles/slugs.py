"""Readable addresses: one rule gives every record its slug, whichever way it was created.

A slug comes from the first of the names given that yields one: a Latin name as Django's `slugify`
writes it (`Al-Waght` → `al-waght`), an Arabic name in Arabic letters (`الوقت` → `الوقت`,
`وزارة الخارجية` → `وزارة-الخارجية`), as Arabic Wikipedia's addresses are. Diacritics and tatweel
are dropped, the letters are kept as printed. A slug already taken gets `-2`, `-3`, ...
"""

import re

from django.utils.text import slugify

# diacritics, Quranic marks and tatweel: not letters of the name
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
FALLBACK = "record"


def readable_slug(*names):
    """The slug of the first name that gives one (Latin or Arabic letters, digits and hyphens)."""
    for name in names:
        slug = slugify(_MARKS.sub("", name or ""), allow_unicode=True)
        if slug:
            return slug
    return FALLBACK


def unique_slug(model, *names):
    """`readable_slug(*names)`, made unique among `model`'s slugs and short enough for its field."""
    max_length = model._meta.get_field("slug").max_length
    base = readable_slug(*names)[: max_length - 4].strip("-") or FALLBACK
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
