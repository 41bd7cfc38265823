"""Keep derived data current when annotations change.

Only derived, rebuildable data is maintained here (`Article.participants`);
every write an editor means to make goes through a plain function or a form.
Signals are used because annotations change from many places (admin, API,
imports) and the derived data must follow every one of them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Mention, Quote
from diplomacy.models import Participation


@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Quote)
@receiver(post_save, sender=Mention)
@receiver(post_delete, sender=Mention)
def annotation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.refresh_participants()


@receiver(m2m_changed, sender=Article.meetings.through)
def article_meetings_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # meeting.articles.add(...) is the reverse side: pk_set names the articles (a clear names none)
    articles = Article.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for article in articles:
        article.refresh_participants()


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for article in Article.objects.filter(meetings__pk=instance.meeting_id):
        article.refresh_participants()
