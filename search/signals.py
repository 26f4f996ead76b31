"""Wagtail's publishing signals → the search outbox. Nothing here touches the index: the change
is recorded in the editor's transaction and the task worker applies it."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.documents import affected_page_ids, page_key
from search.indexing import record_changes
from search.models import PendingChange

Reason = PendingChange.Reason


def on_published(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.PUBLISH)


def on_unpublished(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.UNPUBLISH)


def on_moved(sender, instance, **kwargs):
    record_changes(map(page_key, affected_page_ids(instance)), Reason.MOVE)


def on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        record_changes([page_key(instance.pk)], Reason.DELETE)


def connect():
    page_published.connect(on_published, dispatch_uid="search.page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search.page_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search.post_page_move")
    post_delete.connect(on_deleted, dispatch_uid="search.page_deleted")
