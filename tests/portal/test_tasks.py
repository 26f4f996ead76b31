"""Background work goes through Django's tasks framework with the database backend, and the
real worker runs it: Wagtail's own work (the reference index that "cited by" lists rely on) as
well as ours (scheduled publishing on the clock's schedule)."""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from portal.tasks import publish_scheduled
from tests.factories import ArticlePageFactory, StatuteArticleFactory, StatuteFactory


def test_tasks_use_the_database_backend():
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert isinstance(task_backends["default"], DatabaseBackend)


def test_wagtail_indexes_references_through_the_task_queue(topic, run_tasks):
    statute = StatuteFactory(name="中华人民共和国民法典")
    StatuteArticleFactory(statute=statute, number=1254)
    DBTaskResult.objects.all().delete()

    article = ArticlePageFactory(
        parent=topic,
        body=[("statute_citation", {"statute": statute, "article": "1254"})],
    )

    queued = DBTaskResult.objects.ready().values_list("task_path", flat=True)
    assert "wagtail.tasks.update_reference_index_task" in set(queued)
    assert not ReferenceIndex.get_references_to(statute).exists()  # not until the worker runs

    run_tasks()

    assert not DBTaskResult.objects.ready().exists()
    assert not DBTaskResult.objects.failed().exists()
    citing = ReferenceIndex.get_references_to(statute).values_list("object_id", flat=True)
    assert str(article.pk) in set(citing)


def test_the_clock_enqueues_periodic_tasks_for_the_worker(db, run_tasks):
    call_command("clock", once=True, stdout=StringIO())
    queued = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert queued == set(settings.PERIODIC_TASKS)

    run_tasks()
    assert set(DBTaskResult.objects.successful().values_list("task_path", flat=True)) == queued


def test_the_clock_does_not_queue_a_task_whose_last_run_is_still_waiting(db, run_tasks):
    call_command("clock", once=True, stdout=StringIO())
    call_command("clock", once=True, stdout=StringIO())  # the worker has not run them yet
    assert DBTaskResult.objects.ready().count() == len(settings.PERIODIC_TASKS)
    run_tasks()
    call_command("clock", once=True, stdout=StringIO())
    assert DBTaskResult.objects.ready().count() == len(settings.PERIODIC_TASKS)


def test_scheduled_publishing_runs_in_the_worker(topic, run_tasks):
    article = ArticlePageFactory(parent=topic, title="到点发布的文章", live=False)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()

    result = publish_scheduled.enqueue()
    run_tasks()

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    article.refresh_from_db()
    assert article.live
    assert article.title == "到点发布的文章"
