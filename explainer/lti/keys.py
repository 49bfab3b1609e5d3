"""The tool's signing keys: kept in the database (pylti1p3's LtiToolKey), published as a JWKS, rotated.

Exactly one key is current: the newest one not retired. Every registered
platform (LtiTool) signs with it: deep linking responses and the token
requests of grade services. `rotate()` makes a new current key, moves every
platform to it and retires the old one, which the JWKS keeps publishing for
settings.LTI_KEY_GRACE_DAYS, so that a platform that cached the key set, or a
message signed just before, still verifies; after that it is deleted.
"""

import datetime
import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from explainer.models import LtiRetiredKey


def rsa_pair():
    """A new 2048-bit RSA key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def _new_key():
    private_pem, public_pem = rsa_pair()
    name = f"explainer-{timezone.now():%Y%m%dT%H%M%S.%fZ}"
    return LtiToolKey.objects.create(name=name, private_key=private_pem, public_key=public_pem)


def current_key():
    """The key platforms sign with now; made on first use."""
    with transaction.atomic():
        key = LtiToolKey.objects.filter(retirement__isnull=True).order_by("-pk").first()
        return key or _new_key()


def grace():
    return datetime.timedelta(days=settings.LTI_KEY_GRACE_DAYS)


def published_keys():
    """The current key and those retired less than the grace period ago."""
    cutoff = timezone.now() - grace()
    return LtiToolKey.objects.exclude(retirement__retired_at__lt=cutoff).order_by("-pk")


def jwks():
    """{"keys": [public JWK, ...]} of the published keys, each with its kid, alg RS256 and use sig."""
    keys = []
    for key in published_keys():
        if key.public_jwk:
            keys.append(json.loads(key.public_jwk))
    return {"keys": keys}


@transaction.atomic
def rotate():
    """Make a new current key, sign every platform with it, retire the others; delete keys past their grace.

    Returns (new key, [retired keys], number of keys deleted).
    """
    old = list(LtiToolKey.objects.select_for_update(of=("self",)).filter(retirement__isnull=True))
    new = _new_key()
    LtiTool.objects.update(tool_key=new)
    for key in old:
        LtiRetiredKey.objects.create(key=key)
    cutoff = timezone.now() - grace()
    expired = LtiToolKey.objects.filter(retirement__retired_at__lt=cutoff).exclude(lti_tools__isnull=False)
    deleted = expired.count()
    expired.delete()
    return new, old, deleted
