"""Load a file written by `export_content` into a database that has no content yet."""

from explainer.models import CONTENT_MODELS
from explainer.snapshots import LoadCommand


class Command(LoadCommand):
    help = "Import content exported by `manage.py export_content` (into an empty database)."
    models = CONTENT_MODELS
    done = "Content imported from"
