"""How much a second `import_statutes` costs next to the first: the whole corpus (378 laws,
26,196 articles) imported into an empty library, then again over itself, which must find nothing
to change. Run: `.venv/bin/python -m bench.statute_import` (uses var/bench-statutes.sqlite3)."""

import time
from pathlib import Path

from bench._django import setup_django as bench_django

ROOT = Path(__file__).resolve().parent.parent


def main():
    bench_django(ROOT / "var" / "bench-statutes.sqlite3", fresh=False)
    from content.models import Statute
    from content.statutes import import_statutes

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
