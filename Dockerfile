# The portal's production image: gunicorn serving portal.wsgi; the same image runs the task
# workers and the clock (see compose.yaml). Dependencies exactly as uv.lock says.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/srv/static \
    MEDIA_ROOT=/srv/media \
    SERVE_MEDIA=false \
    GUNICORN_BIND=0.0.0.0:8000 \
    WEB_CONCURRENCY=4

RUN pip install --no-cache-dir "uv==0.13.9" \
    && useradd --system --home /srv --shell /usr/sbin/nologin pufa

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# The portal's own modules compiled too (PYTHONDONTWRITEBYTECODE keeps processes from writing
# them): no web worker compiles them again before its first answer.
RUN python -m compileall -q portal content search distribution reach geodata

# Static files are collected at build time (WhiteNoise serves them, hashed and compressed).
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /srv/media && chown -R pufa /srv/media

USER pufa
EXPOSE 8000
# The one gunicorn configuration (deploy/gunicorn.conf.py) that make run and prod-check use too;
# the proxy in front is another container, so its forwarded headers are trusted from any address.
ENV FORWARDED_ALLOW_IPS=*
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
