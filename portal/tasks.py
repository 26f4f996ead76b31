from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled():
    """Wagtail's scheduled publishing, run by the worker on the clock's schedule."""
    call_command("publish_scheduled", verbosity=0)
