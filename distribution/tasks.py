"""Background work of distribution, run by the database task worker (never in a request)."""

from django_tasks import task

from distribution import services


@task(queue_name="distribution")
def send_deliveries(distribution_id):
    """Send the due webhook deliveries of one distribution; queues its next retry round."""
    return services.send_due(distribution_id)


@task(queue_name="distribution")
def recover_deliveries():
    """Periodic (clock): re-queue deliveries left behind by a killed worker or a lost task."""
    return services.recover_stalled()
