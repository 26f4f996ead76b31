"""The commands `make run` strings together: the demo driver and the start-up banner."""

from io import StringIO

from django.core.management import call_command

LOADED = []


def first_loader(stdout, reset=False):
    LOADED.append(("first", reset))


def second_loader(stdout, reset=False):
    LOADED.append(("second", reset))


def test_load_demo_runs_every_loader_in_order(db, settings):
    settings.DEMO_LOADERS = [
        "tests.portal.test_commands.first_loader",
        "tests.portal.test_commands.second_loader",
    ]
    LOADED.clear()
    out = StringIO()

    call_command("load_demo", stdout=out)
    call_command("load_demo", reset=True, stdout=out)

    assert LOADED == [("first", False), ("second", False), ("first", True), ("second", True)]
    assert "演示数据已就绪" in out.getvalue()


def test_every_configured_demo_loader_can_be_imported(settings):
    from django.utils.module_loading import import_string

    for dotted_path in settings.DEMO_LOADERS:
        assert callable(import_string(dotted_path)), dotted_path


def test_banner_prints_the_addresses_and_demo_log_ins(settings):
    settings.DEMO_PASSWORD = "pufa-demo-2026"
    out = StringIO()
    call_command("portal_banner", port=8123, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/admin/" in text
    assert "pufa-demo-2026" in text
    for username, role in [("admin", "管理员"), ("editor", "编辑"), ("reviewer", "审核")]:
        assert username in text and role in text
    assert "official-wuhan" in text
    for address in ("/search/", "/map/", "/admin/coverage/", "/laws/"):
        assert f"http://127.0.0.1:8123{address}" in text
