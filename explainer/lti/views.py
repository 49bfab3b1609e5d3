"""The LTI 1.3 endpoints a course platform is given (explainer/admin/lti.py shows them to copy).

GET|POST /lti/login/        OIDC login initiation (the platform's first step of every launch)
POST     /lti/launch/       the launch: a learner's round (resource link) or the teacher's choice (deep linking)
GET      /lti/jwks/         the tool's public keys (explainer/lti/keys.py)
POST     /lti/deep-link/    the teacher's choice, sent back to the platform as a signed content item

Launches arrive as cross-site form posts, often inside the platform's iframe
where the browser sends no cookie: they take no CSRF cookie (the signed
id_token, its state and one-time nonce are the proof), and the deep linking
form carries a signed token of its launch instead.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from explainer.http import allow
from explainer.lti import keys
from explainer.lti.rounds import MAX_QUESTIONS, open_attempt, question_count
from explainer.lti.tool import (
    CUSTOM_CLAIM,
    DEEP_LINKING_CLAIM,
    DEPLOYMENT_CLAIM,
    RESOURCE_LINK_CLAIM,
    allow_platform_frames,
    in_platform_frame,
    launch_for,
    login_for,
    origin,
    refused,
    tool_conf,
)
from explainer.models import Comparison
from explainer.quiz.content import published_content

DEEP_LINK_SALT = "explainer.lti.deep-link"
DEEP_LINK_MAX_AGE = 60 * 60  # a teacher has an hour to choose


@csrf_exempt
@in_platform_frame
@allow("GET", "POST")
def login(request):
    launch_url = request.build_absolute_uri(reverse("lti_launch"))
    try:
        return login_for(request).redirect(launch_url)
    except (LtiException, OIDCException) as error:
        return refused(request, error)


@csrf_exempt
@in_platform_frame
@allow("POST")
def launch(request):
    try:
        message = launch_for(request)
        data = message.get_launch_data()
        deep_linking = message.is_deep_link_launch()
        resource = message.is_resource_launch()
        client_id = message.get_client_id()
    except (LtiException, OIDCException, ValueError, KeyError, TypeError) as error:
        return refused(request, error)
    platform = LtiTool.objects.get(issuer=data["iss"], client_id=client_id, is_active=True)
    if deep_linking:
        return choose_page(request, deep_link_token(data, client_id))
    if not resource or not all(fits(value) for value in launch_ids(data)):
        reason = _(
            "This launch did not name a learner and a course link the quiz can keep (each up to 255 characters)."
        )
        return refused(request, "not a resource link launch with usable ids", status=400, reason=reason)
    custom = data.get(CUSTOM_CLAIM) or {}
    comparison = quiz_comparison(request, custom.get("comparison"))
    if comparison is None:
        context = {"reason": _("This course link names no quiz on this site (it may have been withdrawn).")}
        return render(request, "lti/refused.html", context, status=404)
    attempt = open_attempt(platform, data, comparison, question_count(custom), settings.LTI_KEEP_NAMES)
    return redirect("lti_play", attempt.access_key)


def launch_ids(data):
    """The ids an attempt is kept under: the learner (sub), the course link and the deployment."""
    return data.get("sub"), (data.get(RESOURCE_LINK_CLAIM) or {}).get("id"), data.get(DEPLOYMENT_CLAIM)


def fits(value):
    return isinstance(value, str) and 0 < len(value) <= 255  # LTI 1.3 caps them at 255 characters


def quiz_comparison(request, slug):
    """The published comparison with a quiz at `slug`, or None."""
    comparison = Comparison.objects.published().filter(slug=str(slug or ""), has_quiz=True).first()
    if comparison is None or published_content(request, comparison) is None:
        return None
    return comparison


@allow("GET")
def jwks(request):
    """The tool's public keys: the current one and those retired within the grace period."""
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"  # platforms may keep it a while; rotation leaves a grace
    return response


# Deep linking: the teacher picks a quiz and a number of questions


class ChoiceForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    comparison = forms.ModelChoiceField(
        queryset=Comparison.objects.none(),
        to_field_name="slug",
        label=gettext_lazy("Quiz"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    questions = forms.IntegerField(
        label=gettext_lazy("Number of questions"),
        min_value=1,
        max_value=MAX_QUESTIONS,
        initial=10,
        help_text=gettext_lazy("Each learner gets this many cases, drawn for them; their score is right of total."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comparison"].queryset = Comparison.objects.published().filter(has_quiz=True).order_by("title")


def deep_link_token(data, client_id):
    """A signed note of the deep linking launch, for the form to carry instead of a cookie."""
    note = {
        "iss": data["iss"],
        "client_id": client_id,
        "deployment_id": data[DEPLOYMENT_CLAIM],
        "settings": data[DEEP_LINKING_CLAIM],
    }
    return signing.dumps(note, salt=DEEP_LINK_SALT, compress=True)


def choose_page(request, token, form=None, status=200):
    form = form or ChoiceForm(initial={"token": token})
    return render(request, "lti/choose.html", {"form": form}, status=status)


@csrf_exempt
@in_platform_frame
@allow("POST")
def deep_link(request):
    """The teacher's choice: a signed ltiResourceLink content item, posted back to the platform by the browser."""
    form = ChoiceForm(request.POST)
    try:
        note = signing.loads(request.POST.get("token", ""), salt=DEEP_LINK_SALT, max_age=DEEP_LINK_MAX_AGE)
    except signing.BadSignature:
        context = {"reason": _("This choice has expired or was altered. Open the selection again from your course.")}
        return render(request, "lti/refused.html", context, status=400)
    if not form.is_valid():
        return choose_page(request, None, form=form, status=400)
    comparison, count = form.cleaned_data["comparison"], form.cleaned_data["questions"]
    try:
        registration = tool_conf().find_registration_by_params(note["iss"], note["client_id"])
    except LtiException as error:
        return refused(request, error)
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti_launch")))
        .set_title(comparison.title)
        .set_custom_params({"comparison": comparison.slug, "questions": str(count)})
        .set_lineitem(LineItem().set_score_maximum(count).set_label(comparison.title))
    )
    return_url = note["settings"].get("deep_link_return_url")
    if origin(return_url) is None:
        return refused(
            request, "no deep_link_return_url", status=400, reason=_("The course platform gave no return address.")
        )
    jwt = DeepLink(registration, note["deployment_id"], note["settings"]).get_response_jwt([resource])
    context = {"return_url": return_url, "jwt": jwt, "comparison": comparison, "count": count}
    response = render(request, "lti/chosen.html", context)
    return allow_platform_frames(response, form_targets=[origin(return_url)])
