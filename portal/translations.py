"""Our translation overlay (LOCALE_PATHS): the zh-hans strings Wagtail, wagtailmedia and Django
lack, compiled from the .po sources to the .mo files Django reads, in Python with Babel (a new
machine has no msgfmt). The compiled files are committed, so serving needs no build step; a test
checks they match their sources."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings


def sources():
    for folder in settings.LOCALE_PATHS:
        yield from sorted(Path(folder).glob("*/LC_MESSAGES/*.po"))


def read_catalog(po_path):
    with open(po_path, "rb") as handle:
        return read_po(handle)


def compile_catalog(po_path):
    """Write the .mo beside the .po; returns its path. Fuzzy entries are left out, as msgfmt
    leaves them out."""
    mo_path = Path(po_path).with_suffix(".mo")
    with open(mo_path, "wb") as handle:
        write_mo(handle, read_catalog(po_path), use_fuzzy=False)
    return mo_path
