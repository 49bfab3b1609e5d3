"""Replace the LTI tool's signing key (explainer/lti/keys.py); run it from cron, e.g. monthly.

The old key stays in the published JWKS for LTI_KEY_GRACE_DAYS (settings), then
a later run deletes it. Platforms fetch the key set from the JWKS URL, so
nothing needs changing on their side.
"""

import json

from django.core.management.base import BaseCommand

from explainer.lti import keys


class Command(BaseCommand):
    help = "Make a new LTI signing key, move every platform to it, keep the old one published for the grace period."

    def handle(self, *args, **options):
        new, retired, deleted = keys.rotate()
        kid = json.loads(new.public_jwk)["kid"]
        self.stdout.write(f"New LTI key {new.name} (kid {kid}); {len(retired)} retired, {deleted} past grace deleted.")
