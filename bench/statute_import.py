"""How much a second `import_statutes` costs next to the first: the whole corpus (378 laws,
26,196 articles) imported into an empty library, then again over itself, which must find nothing
to change. Run: `.venv/bin/python -m bench.statute_import` (uses var/bench-statutes.sqlite3)."""

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["SQLITE_PATH"] = str(ROOT / "var" / "bench-statutes.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    from content.models import Statute
    from content.statutes import import_statutes

    call_command("migrate", verbosity=0)
    Statute.objects.all().delete()

    started = time.perf_counter()
    first = import_statutes()
    first_seconds = time.perf_counter() - started

    started = time.perf_counter()
    second = import_statutes()
    second_seconds = time.perf_counter() - started

    assert second.statutes_unchanged == first.statutes_created
    assert second.articles_created == second.articles_updated == 0
    print(
        f"import_statutes, whole corpus ({first.statutes_created} laws, "
        f"{first.articles_created} articles)"
    )
    print(f"  first run, empty library : {first_seconds:6.2f} s")
    print(f"  second run, nothing to do: {second_seconds:6.2f} s")
    print(f"  second / first           : {second_seconds / first_seconds:6.2f}")


if __name__ == "__main__":
    main()
