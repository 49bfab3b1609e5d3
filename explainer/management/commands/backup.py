"""Write a consistent snapshot of the whole site to one JSON file; `restore` reads it back.

Content, responses, reports, revision history, users and groups (with password
hashes: keep backups as safe as the database) and the admin log.
"""

from explainer.snapshots import DumpCommand, site_models


class Command(DumpCommand):
    help = "Write a consistent JSON snapshot of the whole site (content, responses, reports, history, accounts)."

    done = "Snapshot written to"
    private = True  # password hashes: readable by the account that runs the site only (0600)

    @property
    def models(self):
        return site_models()
