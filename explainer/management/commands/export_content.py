"""Write all content (not answers or reports) to one JSON file, for `import_content`."""

from explainer.models import CONTENT_MODELS
from explainer.snapshots import DumpCommand


class Command(DumpCommand):
    help = "Export every comparison, concept, table, example and scenario to one JSON file."
    models = CONTENT_MODELS
    done = "Content exported to"
