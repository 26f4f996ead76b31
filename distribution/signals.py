"""Distribution learns of publishing through Wagtail's signals, never from content/ code."""

from django.db import transaction

from content.models import ArticlePage, VideoPage


def retract_unpublished_page(sender, instance, **kwargs):
    """An unpublished article or video is retracted from every channel that received it."""
    if not isinstance(instance, ArticlePage | VideoPage):
        return
    from distribution.services import retract

    transaction.on_commit(lambda: retract(instance))
