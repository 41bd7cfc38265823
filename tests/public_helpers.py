"""Shared helpers for the public-site tests: the seed's mentions, and reading pages."""

import re

from articles.arabic.names import AliasMatcher
from articles.models import Mention
from diplomacy.models import ParticipantAlias

LANGUAGES = ("", "/en")  # Arabic at the root, English under /en/


def annotate_mentions(article):
    """Mentions of every person named in `article`, found by the alias matcher, as an editor would
    accept them (the demo data carries quotes only)."""
    aliases = ParticipantAlias.objects.select_related("participant")
    matcher = AliasMatcher((alias.name, alias.participant) for alias in aliases)
    seen = set()
    for match in matcher.find(article.body):
        if (match.start, match.end) in seen:
            continue
        seen.add((match.start, match.end))
        Mention.objects.create(
            article=article, start=match.start, end=match.end, text=match.text, participant=match.target
        )
    return len(seen)


def html_lang(html):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', html).groups()
