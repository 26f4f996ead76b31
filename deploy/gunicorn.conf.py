"""gunicorn for every deployment of the portal: `make run` on one machine, the production image,
and prod-check behind nginx. Each value can be set from the environment.

Threaded workers: without a buffering proxy in front (make run), a slow client ties up a
thread, not a whole process. No preloading: every worker opens its own database connections and
search index after the fork, and warms up (URLconfs, the search tables and index) before it takes
its first request."""

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('WEB_PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(4, multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Seconds an idle keep-alive connection stays open. 5 for browsers straight in (make run); behind
# nginx (compose, prod-check) longer than nginx's upstream keepalive_timeout (60 s), so nginx is
# always the one to close an idle connection: were gunicorn to close first, a request nginx sends
# on that connection at the same moment is reset and answered 502.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The proxy in front sets X-Forwarded-Proto; trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
wsgi_app = "portal.wsgi:application"
# No control socket: several servers share a machine (make run, prod-check) and would share its
# one default path in the home folder.
control_socket_disable = True


def post_worker_init(worker):
    """Each worker loads its code and warms up before it takes a request (in the worker: the
    master never loads the application)."""
    from portal.warmup import warm_up

    warm_up(worker.wsgi)
