"""Django for a benchmark: its own SQLite file (never the demo's), production-like settings (no
DEBUG query log), migrated. One place, so every benchmark measures under the same set-up."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_path, *, fresh=True, environ=None, log_level="WARNING"):
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("LOG_LEVEL", log_level)
    # Its own search index too: a benchmark never writes the index of a running portal.
    os.environ["SEARCH_INDEX_DIR"] = str(Path(db_path).with_suffix(".search-index"))
    os.environ.update(environ or {})
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
