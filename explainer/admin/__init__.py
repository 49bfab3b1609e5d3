"""Django admin for editors: every piece of content, with the tools to find it fast.

One module per subject; importing them registers their ModelAdmins with the site.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from explainer.admin import comparisons, concepts, lti, quiz, reports  # noqa: F401 - registers the ModelAdmins
from explainer.admin.base import LoginForm

admin.site.login_form = LoginForm
admin.site.site_header = _("Explainer editing")
admin.site.site_title = _("Explainer editing")
admin.site.index_title = _("Content")
