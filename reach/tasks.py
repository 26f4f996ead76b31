"""Reach work done by the task worker, on the clock's schedule (settings.PERIODIC_TASKS)."""

from django_tasks import task

from reach import counting, rollup, weekly


@task(queue_name="reach")
def roll_up_recent():
    """Bring every day that may have changed up to date; a day that fails is reported in the
    result, the log and /healthz, and the others still roll up."""
    done, failed = rollup.roll_up_recent()
    return {
        "rolled_up": {day.isoformat(): events for day, events in done.items()},
        "failed": {day.isoformat(): error for day, error in failed.items()},
    }


@task(queue_name="reach")
def rotate_salts():
    """Delete the salts of past days, so their visitor hashes can never be linked to anyone."""
    return counting.delete_past_salts()


@task(queue_name="reach")
def purge_raw_events():
    """Delete raw view events past the retention setting (their days rolled up first)."""
    return rollup.purge_raw_events()


@task(queue_name="reach")
def make_weekly_reports():
    """Last week's reports for the officials, once the week is final; each one made once,
    however many workers run this at a time."""
    return {scope: str(outcome) for scope, outcome in weekly.make_missing_reports().items()}
