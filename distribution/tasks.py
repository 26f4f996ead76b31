"""Background work of distribution, run by the database task worker (never in a request)."""

from django_tasks import task
from wagtail.models import Page

from distribution import scheduling, services


@task(queue_name="distribution")
def send_deliveries(distribution_id):
    """Send the due webhook deliveries of one distribution; queues its next retry round."""
    return services.send_due(distribution_id)


@task(queue_name="distribution")
def start_scheduled(distribution_id):
    """Send a scheduled distribution: queued to run at its time, or when its page goes live."""
    return scheduling.start(distribution_id)


@task(queue_name="distribution")
def recover_deliveries():
    """Periodic (clock): re-queue deliveries left behind by a killed worker or a lost task, and
    start scheduled distributions whose moment passed without them."""
    return {
        "deliveries": services.recover_stalled(),
        "scheduled": scheduling.start_overdue(),
    }


@task(queue_name="distribution")
def send_corrections_to(page_ids):
    """Items that changed under their published pages (a statute import changed what they
    quote or link to): each channel that has an older version gets the new one. Returns how
    many items were corrected."""
    pages = Page.objects.live().filter(pk__in=page_ids).specific()
    return sum(services.send_corrections(page) is not None for page in pages)
