"""Guessing passwords is throttled: an account locks after 20 wrong passwords within the
cool-off (15 minutes), then refuses even the right one with a Chinese message until the cool-off
ends; an address locks only after 100, so colleagues behind one office address keep logging in.
The failures live in the database, so every web process counts the same ones. Admin sessions end
after an idle time."""

import datetime
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory
from tests.processes import child_environment

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", password=PASSWORD, groups=["编辑"])


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", password=PASSWORD, groups=["编辑"])


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302 and "/login/" not in response["Location"]


def test_the_limits_are_the_documented_ones():
    assert settings.LOGIN_FAILURES_PER_ACCOUNT == 20
    assert settings.LOGIN_FAILURES_PER_ADDRESS == 100
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_nineteen_wrong_passwords_still_let_the_right_one_in(client, editor):
    for _ in range(19):
        assert log_in(client, "editor", "guess").status_code == 200
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_twenty_wrong_passwords_lock_the_account_in_chinese(client, editor):
    for _ in range(20):
        log_in(client, "editor", "guess")

    response = log_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "密码错误次数过多" in response.content.decode()
    assert "15 分钟" in response.content.decode()


def test_the_lock_holds_for_the_account_from_another_address(client, editor):
    for _ in range(20):
        log_in(client, "editor", "guess", address="203.0.113.7")
    assert log_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429


def test_one_persons_mistakes_do_not_lock_out_the_office(client, editor, colleague):
    for _ in range(20):
        log_in(client, "editor", "guess")
    assert logged_in(log_in(client, "colleague", PASSWORD))


def test_a_hundred_failures_from_one_address_lock_the_address(client, editor, colleague):
    for number in range(100):
        log_in(client, f"someone{number % 10}", "guess")

    assert log_in(client, "colleague", PASSWORD).status_code == 429
    assert logged_in(log_in(client, "colleague", PASSWORD, address="198.51.100.9"))


def test_the_account_opens_again_after_the_cool_off(client, editor):
    for _ in range(20):
        log_in(client, "editor", "guess")
    sixteen_minutes_ago = timezone.now() - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)

    assert logged_in(log_in(client, "editor", PASSWORD))


GUESSER = """
import django
django.setup()
from django.test import Client
client = Client()
for _ in range(10):
    client.post("/admin/login/", {"username": "editor", "password": "guess"},
                REMOTE_ADDR="203.0.113.%s")
"""


@pytest.mark.django_db(transaction=True)
def test_failures_in_two_processes_add_up(client, editor):
    """Two web processes each see ten wrong passwords; together they lock the account."""
    env = child_environment()
    guessers = [
        subprocess.Popen([sys.executable, "-c", GUESSER % number], env=env, cwd=settings.BASE_DIR)
        for number in (1, 2)
    ]
    assert [guesser.wait(timeout=600) for guesser in guessers] == [0, 0]

    assert log_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429


def test_an_idle_admin_session_ends(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get()
    idle = session.expire_date - timezone.now()
    assert abs(idle.total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_each_request_moves_the_end_of_an_active_session(client, editor):
    client.force_login(editor)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    client.get("/admin/")

    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > datetime.timedelta(minutes=100)
