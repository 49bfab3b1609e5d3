"""Readers' "Report a problem" form, for a comparison or one of its quiz scenarios.

Reports are rate-limited per visitor (a one-way hash of the address, never
the address itself): at most REPORT_LIMIT an hour (explainer.http.RateLimit). The form has a honeypot
field; a submission that fills it is thanked and dropped.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from explainer.forms import ReportForm
from explainer.http import RateLimit, method_not_allowed, parse_id, visitor_hash
from explainer.models import Comparison, Report, Scenario

REPORT_LIMIT = 5
reports = RateLimit("report", REPORT_LIMIT, 60 * 60)


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
        if reports.hit(visitor) > REPORT_LIMIT:
            return render(request, "explainer/report.html", {**context, "form": form, "throttled": True}, status=429)
        Report.objects.create(
            comparison=comparison, scenario=scenario, message=form.cleaned_data["message"], visitor=visitor
        )
        return redirect(f"{action}?sent=1")
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request, {"GET", "POST"}, action, _("Go to the report form"))
    form = ReportForm(initial={"scenario": scenario.pk if scenario else None}, action=action)
    return render(request, "explainer/report.html", {**context, "form": form})
