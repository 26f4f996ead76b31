"""Background work of the search app, run by the task worker on the "search" queue."""

from django_tasks import task

from search import indexing


@task(queue_name="search")
def apply_pending_changes():
    """Apply queued index changes. Enqueued after each publish; also run periodically (see
    PERIODIC_TASKS) so that changes queued while the engine was down are replayed."""
    return indexing.apply_pending()
