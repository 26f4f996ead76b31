from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@never_cache
def healthz(request):
    """For operators and load balancers: is the database reachable, how deep is the task queue."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    except Exception as exc:  # any database failure means "not healthy", answered, not raised
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "tasks_queued": queued})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
