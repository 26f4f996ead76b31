"""/healthz, for operators: the database answers and the task queue is not piling up."""

from datetime import timedelta
from unittest import mock

from django.db import OperationalError
from django.utils import timezone

from portal.tasks import publish_scheduled


def test_healthz_reports_database_and_an_empty_queue(client, db):
    from search import indexing
    from search.engines import get_engine

    indexing.rebuild(get_engine())  # a portal whose search index has been built
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    search = body.pop("search")
    assert body.pop("reach") == {"ok": True, "as_of": None, "failed_days": []}
    assert body == {
        "status": "ok",
        "database": "ok",
        "tasks_stale": 0,
        "tasks_queued": 0,
        "tasks_queued_by_queue": {},
        "tasks_scheduled": 0,
        "oldest_queued_seconds": None,
    }
    assert search["ok"] is True
    assert search["pending_changes"] == 0
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_degraded_when_search_is_down_but_still_answers_200(client, db):
    from search.engines import EngineUnavailable

    with mock.patch(
        "search.engines.embedded.EmbeddedEngine.count",
        side_effect=EngineUnavailable("检索索引尚未建立"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["search"] == {
        "engine": "embedded",
        "ok": False,
        "detail": "检索索引尚未建立",
        "pending_changes": 0,
    }


def test_healthz_counts_waiting_tasks_until_the_worker_runs_them(client, db, run_tasks):
    publish_scheduled.enqueue()
    publish_scheduled.enqueue()
    publish_scheduled.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()

    body = client.get("/healthz").json()
    assert body["tasks_queued"] == 2
    assert body["tasks_queued_by_queue"] == {"default": 2}
    assert body["tasks_scheduled"] == 1
    assert body["oldest_queued_seconds"] >= 0

    run_tasks()
    body = client.get("/healthz").json()
    assert body["tasks_queued"] == 0
    assert body["tasks_scheduled"] == 1  # not due yet: the worker leaves it for later


def test_healthz_answers_503_when_the_database_fails(client, db):
    with mock.patch(
        "portal.views.connection.cursor", side_effect=OperationalError("unable to open database")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}


def test_a_task_left_running_by_a_killed_worker_is_shown_then_recovered(client, db, run_tasks):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from portal.tasks import recover_stale_tasks

    result = publish_scheduled.enqueue()
    # What a worker killed mid-task leaves: the row it claimed, RUNNING, started long ago.
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("killed-worker")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(hours=2))

    body = client.get("/healthz").json()
    assert (body["status"], body["tasks_stale"]) == ("degraded", 1)

    assert recover_stale_tasks() == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "portal.tasks.WorkerLost"
    assert client.get("/healthz").json()["tasks_stale"] == 0
    run_tasks()  # the task queued again runs
    assert DBTaskResult.objects.successful().filter(task_path=row.task_path).count() == 1
