"""End-to-end tests in Debian's Chromium, driven by Playwright for Python against pytest-django's
live server (static files served from the finders, media from MEDIA_ROOT).

Offline rule: every context routes all requests through `_block_outside`, which aborts and
records anything addressed to another machine; the `context` fixture fails the test if any
was attempted. On failure a Playwright trace and a screenshot of each open page are kept under
test-results/<test>/ (open a trace with `.venv/bin/playwright show-trace …/trace.zip`).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections
from django.test import Client
from PIL import Image, ImageDraw
from playwright.sync_api import expect, sync_playwright

from content.media import captions_vtt, encode_mp4
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls that set up each test
# happen outside it, but Django cannot tell and would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--mute-audio",
    # Belt and braces under the route handler: names other than ours do not even resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"
TIMEOUT_MS = 15_000

# The demo roles: (username, group name or None for the superuser).
ROLES = {
    "admin": None,
    "editor": "编辑",
    "reviewer": "审核",
    "official": "官员",
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def is_outside(url):
    """True for any address that would leave this machine (data:, blob: and about: stay)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss", "ftp"}:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


@pytest.fixture(scope="session")
def playwright():
    # Starting Playwright's sync API switches this thread to a new context, and Django keeps its
    # database connections per context: hand the new context the connections the test database
    # was set up on (with their serialized contents), or tests would get fresh ones.
    originals = {alias: connections[alias] for alias in connections}
    with sync_playwright() as pw:
        for alias, connection in originals.items():
            connections[alias] = connection
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    expect.set_options(timeout=TIMEOUT_MS)
    yield browser
    browser.close()


@pytest.fixture
def outside_requests():
    """Every request a page tried to send off the machine during the test (all aborted)."""
    return []


@pytest.fixture
def new_context(browser, live_server, outside_requests, request):
    """Makes browser contexts bound to the live server with the offline guard and tracing;
    closes them, keeps traces of a failed test, and fails a test whose pages reached out."""
    contexts = []

    def block_outside(route):
        url = route.request.url
        if is_outside(url):
            outside_requests.append(f"{route.request.method} {url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def block_outside_websocket(ws):
        if is_outside(ws.url):
            outside_requests.append(f"WEBSOCKET {ws.url}")
            ws.close()
        else:
            ws.connect_to_server()

    def make(**options):
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(base_url=live_server.url, service_workers="block", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", block_outside)
        context.route_web_socket(re.compile(r".*"), block_outside_websocket)
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
        contexts.append(context)
        return context

    yield make

    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    folder = RESULTS_DIR / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    for number, context in enumerate(contexts):
        if failed:
            folder.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(path=folder / f"context{number}-page{index}.png", full_page=True)
            context.tracing.stop(path=folder / f"context{number}-trace.zip")
        else:
            context.tracing.stop()
        context.close()
    if outside_requests:
        pytest.fail(
            "pages tried to reach outside this machine (offline rule):\n  "
            + "\n  ".join(outside_requests)
        )


@pytest.fixture
def context(new_context):
    """A desktop-sized browser context."""
    return new_context(viewport={"width": 1280, "height": 900})


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone_page(new_context, playwright):
    """A page in a phone-sized context (Pixel 7: 412×915 CSS pixels, touch, mobile)."""
    device = dict(playwright.devices["Pixel 7"])
    device.pop("default_browser_type", None)
    return new_context(**device).new_page()


def role_user(role):
    """The demo account of a role (admin, editor, reviewer, official), as load_demo makes it."""
    group = ROLES[role]
    user = UserFactory(username=role, is_superuser=group is None, is_staff=group is None)
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    if role == "official":  # load_demo gives the demo official the province
        from reach.models import OfficialScope

        OfficialScope.objects.create(user=user, region=None)
    return user


@pytest.fixture
def login_page(new_context, live_server):
    """`login_page("editor")`: a fresh page of a context logged in as that demo role (the
    session is made on the server, so tests that are not about logging in skip the form);
    keyword options go to the browser context (`timezone_id="UTC"`)."""

    def login(role, **options):
        user = role_user(role)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = new_context(viewport={"width": 1280, "height": 900}, **options)
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return login


def role_page(role):
    @pytest.fixture
    def logged_in_page(login_page):
        return login_page(role)

    logged_in_page.__doc__ = f"A page logged in to the admin as the demo {role}."
    return logged_in_page


admin_page = role_page("admin")
editor_page = role_page("editor")
reviewer_page = role_page("reviewer")
official_page = role_page("official")


SAMPLE_CUES = [
    (0.0, 1.5, "接到“公检法”来电要求转账，一定是诈骗。"),
    (1.5, 4.0, "遇到可疑情况，请拨打96110咨询。"),
]


def sample_frames(seconds=4, fps=25, size=(320, 180)):
    """A moving bar on a blue field, so that playing visibly advances."""
    for index in range(seconds * fps):
        image = Image.new("RGB", size, (20, 80, 160))
        x = index * size[0] // (seconds * fps)
        ImageDraw.Draw(image).rectangle([x, 70, x + 40, 110], fill=(250, 200, 40))
        yield image


@pytest.fixture(scope="session")
def sample_video(tmp_path_factory):
    """(mp4 path, WebVTT path) of a real 4-second video and its Chinese captions."""
    folder = tmp_path_factory.mktemp("video")
    video, captions = folder / "fanzha.mp4", folder / "fanzha.vtt"
    video.write_bytes(encode_mp4(sample_frames(), fps=25, size=(320, 180)))
    captions.write_text(captions_vtt(SAMPLE_CUES), encoding="utf-8")
    return video, captions
