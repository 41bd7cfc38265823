"""Keep derived data current when annotations change.

Only derived, rebuildable data is maintained here (`Article.participants` and
the search index, `articles/search/index.py`);
every write an editor means to make goes through a plain function or a form.
Signals are used because annotations change from many places (admin, API,
imports) and the derived data must follow every one of them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Mention, Quote
from articles.search import index as search_index
from diplomacy.models import Participant, ParticipantAlias, Participation


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


# -- The search index: a report's words, its quote translations and the names of its participants


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"title", "body"} & set(update_fields)):
        return
    search_index.reindex([instance.pk])


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    search_index.remove([instance.pk])


@receiver(m2m_changed, sender=Article.participants.through)
def article_participants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # participant.covered_in.add(...): pk_set names the articles
        search_index.reindex(pk_set or Article.objects.filter(participants=instance).values_list("pk", flat=True))
    else:
        search_index.reindex([instance.pk])


@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Quote)
def quote_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # its English translation is indexed
        search_index.reindex([instance.article_id])


@receiver(post_save, sender=ParticipantAlias)
@receiver(post_delete, sender=ParticipantAlias)
@receiver(post_save, sender=Participant)
def participant_names_changed(sender, instance, raw=False, **kwargs):
    """A new or changed name is indexed for every report that involves the participant.

    Reports that print the name without being annotated need no update to be
    found (a query for a name also looks for the participant's other names);
    `rebuild_search_index` also refreshes which words stemming protects.
    """
    if raw:
        return
    participant_id = instance.pk if sender is Participant else instance.participant_id
    ids = list(Article.objects.filter(participants__pk=participant_id).values_list("pk", flat=True))
    search_index.reindex(ids)
