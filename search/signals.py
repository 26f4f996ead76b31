"""Wagtail's publishing signals → the search outbox. Nothing here touches the index: the change
is recorded in the editor's transaction and the task worker applies it. An editor's change to
the thesaurus makes this process read it again at once (others within a second)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.citing import citation_notices_changed
from content.models import Statute, StatuteArticle
from content.statutes import statutes_imported
from search import thesaurus_store
from search.documents import affected_page_ids, page_key, statute_key
from search.indexing import record_changes
from search.models import PendingChange, ThesaurusEntry

Reason = PendingChange.Reason
KEY_FIELDS = ("number", "sub_number", "item")


def on_published(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.PUBLISH)


def on_unpublished(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.UNPUBLISH)


def on_moved(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.MOVE)


def on_deleted(sender, instance, **kwargs):
    record_changes([page_key(instance.pk)], Reason.DELETE)


def on_statutes_imported(sender, law_ids, **kwargs):
    """import_statutes changed these laws (sent after its commit): reindex their articles, and
    know their names as words from now on. Articles a law no longer has are found by
    search_verify (or replaced by search_reindex)."""
    from search import analysis

    statutes = Statute.objects.filter(law_id__in=law_ids).values_list("name", "short_name")
    analysis.add_law_names(name for pair in statutes for name in pair)
    articles = (
        StatuteArticle.objects.filter(statute__law_id__in=law_ids)
        .select_related("statute")
        .only("statute__law_id", *KEY_FIELDS)
    )
    record_changes([statute_key(a.statute.law_id, a.key) for a in articles], Reason.STATUTE)


def on_thesaurus_changed(sender, **kwargs):
    thesaurus_store.forget()


def on_citation_notices_changed(sender, page_ids, **kwargs):
    """An import changed an article these pages quote (or an editor settled it): their
    documents carry the quoted text, so they are indexed again."""
    record_changes(map(page_key, page_ids), Reason.STATUTE)


def connect():
    page_published.connect(on_published, dispatch_uid="search.page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search.page_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search.post_page_move")
    # Page only: deleting any page type deletes its Page row too, which sends this. A receiver
    # with no sender would make Django load every row of every model before deleting it.
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="search.page_deleted")
    statutes_imported.connect(on_statutes_imported, dispatch_uid="search.statutes_imported")
    for signal in (post_save, post_delete):
        signal.connect(
            on_thesaurus_changed, sender=ThesaurusEntry, dispatch_uid=f"search.thesaurus.{signal}"
        )
    citation_notices_changed.connect(
        on_citation_notices_changed, dispatch_uid="search.citation_notices_changed"
    )
