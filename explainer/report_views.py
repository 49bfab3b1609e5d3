"""Readers' "Report a problem" form, for a comparison or one of its quiz scenarios.

Reports are rate-limited per visitor (a one-way hash of the address, never
the address itself): at most REPORT_LIMIT an hour. The form has a honeypot
field; a submission that fills it is thanked and dropped.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.forms import ReportForm
from explainer.models import Comparison, Report, Scenario

REPORT_LIMIT = 5
REPORT_WINDOW = timedelta(hours=1)


def visitor_hash(request):
    """A short, salted one-way hash of the client's address."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        address = request.headers.get("X-Forwarded-For", address).split(",")[0].strip()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


@never_cache
def report(request, slug):
    comparison = get_object_or_404(Comparison.objects.visible_to(request.user), slug=slug)
    action = reverse("report", args=[slug])
    raw_scenario = request.GET.get("scenario") if request.method == "GET" else request.POST.get("scenario")
    scenario = None
    if raw_scenario and raw_scenario.isdigit():
        scenario = Scenario.objects.published().filter(comparison=comparison, pk=int(raw_scenario)).first()
    context = {"comparison": comparison, "scenario": scenario, "sent": request.GET.get("sent") == "1"}
    if request.method == "POST":
        form = ReportForm(request.POST, action=action)
        if not form.is_valid():
            return render(request, "explainer/report.html", {**context, "form": form}, status=400)
        if form.is_bot:
            return redirect(f"{action}?sent=1")
        visitor = visitor_hash(request)
        if Report.objects.recent_from(visitor, timezone.now() - REPORT_WINDOW).count() >= REPORT_LIMIT:
            return render(request, "explainer/report.html", {**context, "form": form, "throttled": True}, status=429)
        Report.objects.create(
            comparison=comparison, scenario=scenario, message=form.cleaned_data["message"], visitor=visitor
        )
        return redirect(f"{action}?sent=1")
    if request.method not in ("GET", "HEAD"):
        context = {"back_url": action, "back_label": _("Go to the report form")}
        response = render(request, "405.html", context, status=405)
        response["Allow"] = "GET, POST"
        return response
    form = ReportForm(initial={"scenario": scenario.pk if scenario else None}, action=action)
    return render(request, "explainer/report.html", {**context, "form": form})
