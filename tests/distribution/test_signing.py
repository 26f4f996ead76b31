"""Standard Webhooks signing with the standardwebhooks package, including secret rotation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from distribution.models import Channel, new_signing_secret, validate_signing_secret
from distribution.webhooks import encode_body, signed_headers
from tests.distribution.factories import WebhookChannelFactory

BODY = encode_body({"type": "item.published", "data": {"id": 1, "title": "民法典"}})


def test_a_receiver_verifies_our_signature_with_the_package():
    secret = new_signing_secret()
    headers = signed_headers([secret], "msg_1", BODY)
    assert headers["webhook-id"] == "msg_1"
    assert Webhook(secret).verify(BODY, headers)["data"]["title"] == "民法典"


def test_wrong_secret_is_rejected():
    headers = signed_headers([new_signing_secret()], "msg_1", BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_signing_secret()).verify(BODY, headers)


def test_tampered_body_or_replayed_old_message_is_rejected():
    secret = new_signing_secret()
    headers = signed_headers([secret], "msg_1", BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("民法典", "刑法"), headers)
    old = signed_headers([secret], "msg_1", BODY, now=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, old)


@pytest.mark.django_db
def test_rotation_signs_with_old_and_new_key_during_the_grace_period(regions):
    channel = WebhookChannelFactory(region=regions["wuhan"])
    old_secret = channel.signing_secret
    new_secret = channel.rotate_secret(grace=timedelta(days=7))
    assert new_secret != old_secret

    headers = signed_headers(channel.signing_secrets(), "msg_2", BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    # A receiver still on the old key and one already on the new key both accept it.
    assert Webhook(old_secret).verify(BODY, headers)
    assert Webhook(new_secret).verify(BODY, headers)


@pytest.mark.django_db
def test_after_the_grace_period_the_old_key_no_longer_signs(regions):
    channel = WebhookChannelFactory(region=regions["wuhan"])
    old_secret = channel.signing_secret
    channel.rotate_secret(grace=timedelta(days=7))
    later = timezone.now() + timedelta(days=8)
    assert channel.signing_secrets(now=later) == [channel.signing_secret]
    headers = signed_headers(channel.signing_secrets(now=later), "msg_3", BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(BODY, headers)


def test_secret_format_is_validated():
    validate_signing_secret(new_signing_secret())
    for bad in ["not-a-secret", "whsec_***", "whsec_" + "QUJD"]:
        with pytest.raises(ValidationError):
            validate_signing_secret(bad)


@pytest.mark.django_db
def test_reporting_token_is_stored_only_as_a_hash(regions):
    from distribution.models import channel_for_token

    channel = WebhookChannelFactory(region=regions["wuhan"])
    token = channel.issue_token()
    channel.refresh_from_db()
    assert token not in {channel.token_hash, channel.token_hint}
    assert channel_for_token(token) == channel
    assert channel_for_token(token + "x") is None
    assert channel_for_token("") is None
    # A new token replaces the old one at once.
    channel.issue_token()
    assert channel_for_token(token) is None
    # A stopped channel cannot use its token.
    newest = channel.issue_token()
    Channel.objects.filter(pk=channel.pk).update(active=False)
    assert channel_for_token(newest) is None
