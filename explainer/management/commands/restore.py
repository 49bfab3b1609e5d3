"""Load a snapshot written by `backup` into an empty database (or replace what is there)."""

from explainer.models import CONTENT_MODELS, RECORD_MODELS
from explainer.snapshots import LoadCommand


class Command(LoadCommand):
    help = "Restore a snapshot written by `manage.py backup`."
    models = CONTENT_MODELS + RECORD_MODELS
    done = "Restored"
    can_replace = True
