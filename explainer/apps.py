from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplainerConfig(AppConfig):
    name = "explainer"
    verbose_name = _("Explainer content")

    def ready(self):
        from explainer import caching  # noqa: F401 - connects the cache invalidation signals
        from explainer.accounts import merging  # noqa: F401 - connects signing in and out to the learner records
        from explainer.models import CONTENT_MODELS
        from explainer.texts import normalise_on_save

        normalise_on_save(CONTENT_MODELS)
