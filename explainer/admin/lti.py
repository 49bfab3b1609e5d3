"""LTI 1.3 platforms in the admin: register Moodle, Canvas... here, with the tool's URLs shown to copy.

pylti1p3's own admin for its LtiTool is replaced: deployment ids one per line
(not a JSON list), the signing key chosen by the site (explainer/lti/keys.py,
rotated by `manage.py rotate_lti_keys`), the frame origins inline, and the
URLs a platform asks for (login, launch/redirect, JWKS, deep linking) at the top
of the form and of the list. Keys are shown, never edited here.
"""

import contextlib
import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from explainer.lti import keys
from explainer.models import LtiAttempt, LtiPlatform

for model in (LtiTool, LtiToolKey):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def tool_urls(request):
    """[(label, absolute URL, hint)] of the endpoints a platform registration asks for."""
    base = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    return [
        (_("Login (OIDC login initiation) URL"), base + reverse("lti_login"), _("Moodle: Initiate login URL")),
        (
            _("Launch (redirect) URL"),
            base + reverse("lti_launch"),
            _("Moodle: Tool URL and Redirection URI(s); Canvas: Target Link URI and Redirect URIs"),
        ),
        (_("Deep linking URL"), base + reverse("lti_launch"), _("The launch URL also takes deep linking requests")),
        (_("Public keyset (JWKS) URL"), base + reverse("lti_jwks"), _("Moodle: Public keyset URL; Canvas: JWK URL")),
    ]


# What an editor copies from the platform's registration of the tool, in the platform's order.
FROM_THE_PLATFORM = [
    "issuer",
    "client_id",
    "deployment_ids",
    "auth_login_url",
    "auth_token_url",
    "auth_audience",
    "key_set_url",
    "key_set",
]


class PlatformForm(forms.ModelForm):
    deployment_ids = forms.CharField(
        label=_("Deployment ids"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as the platform shows them (Moodle: on the tool's card; Canvas: in Apps > ⚙)."),
    )

    class Meta:
        model = LtiTool
        fields = ["title", "is_active", *FROM_THE_PLATFORM]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.deployment_ids:
            with contextlib.suppress(ValueError, TypeError):
                self.initial["deployment_ids"] = "\n".join(json.loads(self.instance.deployment_ids))

    def clean_deployment_ids(self):
        ids = [line.strip() for line in self.cleaned_data["deployment_ids"].splitlines() if line.strip()]
        if not ids:
            raise forms.ValidationError(_("Give at least one deployment id."))
        return json.dumps(ids)

    def _post_clean(self):
        if not self.instance.tool_key_id:
            self.instance.tool_key = keys.current_key()
        super()._post_clean()


class PlatformSettingsInline(admin.StackedInline):
    model = LtiPlatform
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name_plural = _("Framing")


@admin.register(LtiTool)
class PlatformAdmin(admin.ModelAdmin):
    form = PlatformForm
    inlines = [PlatformSettingsInline]
    list_display = ["title", "issuer", "client_id", "is_active"]
    search_fields = ["title", "issuer", "client_id"]
    change_form_template = "admin/lti/platform_change_form.html"
    change_list_template = "admin/lti/platform_change_list.html"
    fieldsets = [
        (None, {"fields": ["title", "is_active"]}),
        (_("From the platform"), {"fields": FROM_THE_PLATFORM}),
    ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "tool_urls": tool_urls(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "tool_urls": tool_urls(request)}
        return super().changelist_view(request, extra_context)


@admin.register(LtiToolKey)
class KeyAdmin(admin.ModelAdmin):
    """The tool's signing keys, to see which are published; `manage.py rotate_lti_keys` makes and retires them."""

    list_display = ["name", "kid", "retired"]
    fields = ["name", "public_jwk"]
    readonly_fields = fields

    @admin.display(description=_("key id (kid)"))
    def kid(self, key):
        return json.loads(key.public_jwk or "{}").get("kid", "")

    @admin.display(description=_("retired"))
    def retired(self, key):
        retirement = getattr(key, "retirement", None)
        return retirement.retired_at if retirement else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LtiAttempt)
class AttemptAdmin(admin.ModelAdmin):
    """Learners' rounds launched from course platforms: read only, known by the platform's opaque id."""

    list_display = ["comparison", "platform", "subject", "started_at", "score_sent_at"]
    list_filter = ["platform"]
    readonly_fields = [
        "platform",
        "deployment_id",
        "resource_link_id",
        "subject",
        "name",
        "email",
        "comparison",
        "started_at",
        "score_sent_at",
        "score_error",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
