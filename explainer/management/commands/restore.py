"""Load a snapshot written by `backup` into an empty database (or replace what is there)."""

from explainer.snapshots import LoadCommand, site_models


class Command(LoadCommand):
    help = "Restore a snapshot written by `manage.py backup`."

    done = "Restored"
    can_replace = True

    @property
    def models(self):
        return site_models()
