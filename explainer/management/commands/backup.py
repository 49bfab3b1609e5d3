"""Write a consistent snapshot of all content, answers and reports to one JSON file.

Users and groups are not content and are left out; `restore` reads it back.
"""

from explainer.models import CONTENT_MODELS, RECORD_MODELS
from explainer.snapshots import DumpCommand


class Command(DumpCommand):
    help = "Write a consistent JSON snapshot of content, answers and reports."
    models = CONTENT_MODELS + RECORD_MODELS
    done = "Snapshot written to"
