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

from config.proxy import client_address
from explainer.forms import ReportForm
from explainer.models import Comparison, Report, Scenario

REPORT_LIMIT = 5
REPORT_WINDOW = timedelta(hours=1)


def visitor_hash(request):
    """A short, salted one-way hash of the client's address (as the trusted proxy saw it)."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


def parse_id(raw):
    """A positive database id from a query or form value, or None ("²" and "①" are digits, not numbers)."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw) or None


@never_cache
def report(request, slug):
    comparison = get_object_or_404(Comparison.objects.visible_to(request.user), slug=slug)
    action = reverse("report", args=[slug])
    raw_scenario = request.GET.get("scenario") if request.method == "GET" else request.POST.get("scenario")
    scenario = None
    scenario_id = parse_id(raw_scenario)
    if scenario_id is not None:
        scenario = Scenario.objects.published().filter(comparison=comparison, pk=scenario_id).first()
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
