from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware

from portal.tasks import stale_running_tasks


def task_queue_depth():
    """Tasks waiting for a worker: due now (per queue), scheduled for later, and how long the
    oldest due one has waited, which tells an operator that no worker is running."""
    due = DBTaskResult.objects.ready()  # the worker's own definition of "due now"
    per_queue = dict(due.order_by().values_list("queue_name").annotate(count=Count("pk")))
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    oldest = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        # Left RUNNING by a worker killed mid-task; recovered by the periodic sweep.
        "tasks_stale": stale_running_tasks().count(),
        "tasks_queued": sum(per_queue.values()),
        "tasks_queued_by_queue": per_queue,
        "tasks_scheduled": waiting - sum(per_queue.values()),
        "oldest_queued_seconds": (
            round((timezone.now() - oldest).total_seconds()) if oldest else None
        ),
    }


def search_health():
    """The search engine's own word, and how many index changes wait for it. A search outage
    degrades the portal but does not stop it (changes queue and are replayed), so it never
    turns /healthz into a 503."""
    from search.engines import get_engine
    from search.models import PendingChange

    engine = get_engine()
    ok, detail = engine.health()
    return {
        "engine": engine.name,
        "ok": ok,
        "detail": detail,
        "pending_changes": PendingChange.objects.pending().count(),
    }


def reach_health():
    """The figures' roll-up: when it last brought them up to date, and the days whose last
    roll-up failed (their figures are stale until it succeeds)."""
    from reach.rollup import as_of, failed_days

    last = as_of()
    failed = failed_days()
    return {
        "ok": not failed,
        "as_of": last.isoformat() if last else None,
        "failed_days": [{"date": day.isoformat(), "error": error} for day, error in failed],
    }


@never_cache
def healthz(request):
    """For operators and load balancers: is the database reachable, how deep is the task queue,
    is search answering. Answers 503 (never a 500 page) when the database cannot be used."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue = task_queue_depth()
        search = search_health()
        reach = reach_health()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": exc.__class__.__name__}, status=503)
    healthy = search["ok"] and reach["ok"] and not queue["tasks_stale"]
    status = "ok" if healthy else "degraded"
    return JsonResponse(
        {"status": status, "database": "ok", **queue, "search": search, "reach": reach}
    )


# Served only by their own views, to those who may see them: Wagtail's documents (collection
# privacy) and the officials' weekly reports (reach). The proxy refuses the same folders
# (deploy/nginx/portal.conf.template).
PRIVATE_MEDIA_PREFIXES = ("documents/", "reports/")


@require_safe
def serve_media(request, path):
    """Uploaded files on a single machine (production's proxy serves /media/ itself), through
    WhiteNoise so that videos get byte ranges (phones seek and some refuse to play without them),
    conditional requests and the right types (.vtt as text/vtt)."""
    if path.startswith(PRIVATE_MEDIA_PREFIXES):
        raise Http404
    files = WhiteNoise(
        None,
        autorefresh=True,  # uploads appear at any time
        max_age=3600,
        allow_all_origins=False,
        mimetypes={".vtt": "text/vtt", ".webm": "video/webm", ".mp4": "video/mp4"},
    )
    files.add_files(settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
    static_file = files.find_file(request.path_info)
    if static_file is None:
        raise Http404
    return WhiteNoiseMiddleware.serve(static_file, request)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@require_safe
def robots_txt(request):
    """Crawlers may read the public site, not the admin, the API or the channels' feeds; the
    sitemap is named on the public address."""
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /feeds/",
        "Disallow: /documents/",
        f"Sitemap: {site_url}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
