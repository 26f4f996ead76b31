"""Reach work done by the task worker, on the clock's schedule (settings.PERIODIC_TASKS)."""

from django_tasks import task

from reach import counting, rollup


@task(queue_name="reach")
def roll_up_recent():
    """Bring the roll-ups of today, yesterday and every changed day up to date."""
    return {day.isoformat(): events for day, events in rollup.roll_up_recent().items()}


@task(queue_name="reach")
def rotate_salts():
    """Delete the salts of past days, so their visitor hashes can never be linked to anyone."""
    return counting.delete_past_salts()


@task(queue_name="reach")
def purge_raw_events():
    """Delete raw view events past the retention setting (their days rolled up first)."""
    return rollup.purge_raw_events()
