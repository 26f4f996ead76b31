"""Distribution learns of publishing through Wagtail's signals, never from content/ code."""

from django.db import transaction

from content.citing import pages_citing
from content.models import ArticlePage, Statute, VideoPage
from distribution.models import Delivery
from distribution.tasks import send_corrections_to


def retract_unpublished_page(sender, instance, **kwargs):
    """An unpublished article or video is retracted from every channel that received it."""
    if not isinstance(instance, ArticlePage | VideoPage):
        return
    from distribution.services import retract

    transaction.on_commit(lambda: retract(instance))


def distribute_published_page(sender, instance, **kwargs):
    """Distributions waiting for this page's publication start once the publishing commits
    (approval in the review workflow, or Wagtail's scheduled publishing)."""
    if not isinstance(instance, ArticlePage | VideoPage):
        return
    from distribution.scheduling import page_published

    transaction.on_commit(lambda: page_published(instance))


def retract_deleted_page(sender, instance, **kwargs):
    """Deleting a live page takes it down as unpublishing does; done before the row goes, in
    the same transaction, so the retraction cannot be lost."""
    if not instance.live:
        return
    from distribution.services import retract

    retract(instance, page_is_deleted=True)


def send_corrections_on_republish(sender, instance, **kwargs):
    """A distributed article or video changed and republished: the channels that have it get
    the new version (none on its first publication: nobody has it yet)."""
    if not isinstance(instance, ArticlePage | VideoPage):
        return
    from distribution.services import send_corrections

    transaction.on_commit(lambda: send_corrections(instance))


def correct_items_citing(sender, law_ids, **kwargs):
    """A statute import changed these laws (sent after its commit): the distributed items that
    cite them are checked in the background, and the channels get a correction where what an
    item quotes or links to changed."""
    statutes = Statute.objects.filter(law_id__in=law_ids).values_list("pk", flat=True)
    page_ids = sorted(
        Delivery.objects.active()
        .filter(distribution__page_id__in=pages_citing(statutes, public_only=False).values("pk"))
        .values_list("distribution__page_id", flat=True)
        .distinct()
    )
    if page_ids:
        send_corrections_to.enqueue(page_ids)
