"""The admin is in Chinese because every string Wagtail, wagtailmedia and Django can show has a
zh-hans translation: theirs, or ours in the overlay under locale/. After an upgrade brings new
strings, the first test names each one still missing."""

import io
import re
from pathlib import Path

import django
import pytest
from babel.messages.mofile import write_mo
from django.apps import apps
from django.utils.translation import trans_real
from django.utils.translation.trans_real import DjangoTranslation

from portal.translations import read_catalog, sources

LANGUAGE = "zh-hans"


def upstream_catalogs(domain):
    """The English catalogs (every msgid) of each installed app and of Django itself."""
    folders = [Path(config.path) / "locale" for config in apps.get_app_configs()]
    folders.append(Path(django.__file__).parent / "conf" / "locale")
    for folder in folders:
        path = folder / "en" / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            yield path, read_catalog(path)


def catalog_keys(message):
    """The keys gettext looks a message up by: msgid, or (msgid, 0) for plurals, with the
    context in front when there is one."""
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    if message.context:
        msgid = f"{message.context}\x04{msgid}"
    return (msgid, 0) if isinstance(message.id, tuple) else msgid


def untranslated(domain, catalog):
    missing = []
    for path, upstream in upstream_catalogs(domain):
        for message in upstream:
            if message.id and not catalog.get(catalog_keys(message)):
                missing.append(f"{path.parts[-5]}: {message.id!r}")
    return missing


def test_every_admin_string_has_a_chinese_translation():
    catalog = trans_real.translation(LANGUAGE)._catalog
    assert untranslated("django", catalog) == []


def test_every_admin_script_string_has_a_chinese_translation():
    # What Wagtail's JavaScript catalog view serves (its package, plus our overlay on top).
    wagtail_admin = Path(apps.get_app_config("wagtailadmin").path) / "locale"
    django_admin = Path(apps.get_app_config("admin").path) / "locale"
    translation = DjangoTranslation(
        LANGUAGE, domain="djangojs", localedirs=[str(wagtail_admin), str(django_admin)]
    )
    assert untranslated("djangojs", translation._catalog) == []


@pytest.mark.parametrize("po_path", list(sources()), ids=lambda p: p.name)
def test_committed_mo_files_are_compiled_from_their_sources(po_path):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(po_path), use_fuzzy=False)
    assert po_path.with_suffix(".mo").read_bytes() == compiled.getvalue()


PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w+\}")


@pytest.mark.parametrize("po_path", list(sources()), ids=lambda p: p.name)
def test_translations_use_only_the_placeholders_of_their_source(po_path):
    wrong = []
    for message in read_catalog(po_path):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for text in strings:
            extra = set(PLACEHOLDER.findall(text)) - allowed
            if not text or extra:
                wrong.append((ids[0], text))
    assert wrong == []
