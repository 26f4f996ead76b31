"""Uploads on object storage once there is more than one web machine (django-storages)."""

import os
import subprocess
import sys

from django.conf import settings

SHOW_STORAGE = (
    'from django.core.files.storage import storages; s = storages["default"]; '
    "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.custom_domain, s.querystring_auth)"
)


def test_media_bucket_puts_uploads_on_s3_compatible_storage():
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "MEDIA_BUCKET": "pufa-media",
        "MEDIA_ENDPOINT_URL": "http://127.0.0.1:9000",
        "MEDIA_PUBLIC_URL": "media.pufa.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_STORAGE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "pufa-media",
        "http://127.0.0.1:9000",
        "media.pufa.example.gov.cn",
        "False",
    ]


def test_one_machine_keeps_uploads_on_its_own_disk():
    assert settings.STORAGES["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
