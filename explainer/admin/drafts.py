"""The editor's side of drafts (explainer.drafts) and the publishing checklist, in the comparison admin.

Views, all under /admin/explainer/comparison/<id>/, each needing the change
permission on comparisons:
- draft/start/ (POST): start the draft of a live comparison, or open the one
  that exists;
- draft/changes/ (GET): what publishing the draft would change, before/after;
- draft/publish/ (POST): check the draft and publish it into the live page;
- draft/discard/ (GET asks, POST discards).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from explainer import content_checks, drafts
from explainer.admin.base import as_id
from explainer.models import Comparison


def problem_list(intro, problems):
    """An error message: `intro`, then one line per problem (a plain list, so the admin styles it as an error)."""
    return format_html(
        '{}<ul class="problem-list">{}</ul>', intro, format_html_join("", "<li>{}</li>", ((p,) for p in problems))
    )


def _where(comparison):
    """The admin address where each checklist line is done."""
    change = reverse("admin:explainer_comparison_change", args=[comparison.pk])
    return {
        "concepts": f"{change}#comparisonconcept_set-group",
        "rows": f"{change}#attributes-group",
        "table": reverse("admin:explainer_comparison_table", args=[comparison.pk]),
        # Django names both point inlines' groups after the same relation ("points").
        "similarities": f"{change}#points-group",
        "differences": f"{change}#points-2-group",
        "quiz": reverse("admin:explainer_scenario_add") + f"?comparison={comparison.pk}",
    }


def checklist(comparison, quality):
    """The "Ready to publish?" panel: each requirement done or missing, with a link to where it is done.

    Links to other screens carry ?comparison=<id>, so that "Save" there comes back here.
    `quality` is content_checks.quality(comparison), which the page shows too.
    """
    where = _where(comparison)
    back = f"?comparison={comparison.pk}"
    concepts = comparison.ordered_concepts
    lines = []
    for check in comparison.publication_checks():
        links = []
        if check.key == "concepts":
            links = [
                (_("Add a new concept"), reverse("admin:explainer_concept_add") + back),
                (_("Choose existing ones"), where["concepts"]),
            ]
        elif check.key == "definitions":
            links = [
                (_("Edit “%(name)s”") % {"name": c.name}, reverse("admin:explainer_concept_change", args=[c.pk]) + back)
                for c in concepts
            ]
        elif check.key == "examples":
            add = reverse("admin:explainer_example_add")
            links = [
                (_("Add an example of “%(name)s”") % {"name": c.name}, f"{add}{back}&concept={c.pk}") for c in concepts
            ]
        elif check.key == "table":
            links = [(_("Add rows"), where["rows"]), (_("Write the cells on one screen"), where["table"])]
        elif check.key == "quiz":
            scenarios = reverse("admin:explainer_scenario_changelist") + f"?comparison__id__exact={comparison.pk}"
            links = [
                (_("Write the quiz on one screen"), reverse("admin:explainer_comparison_quiz", args=[comparison.pk])),
                (
                    _("Import it from a spreadsheet"),
                    reverse("admin:explainer_comparison_quiz_import", args=[comparison.pk]),
                ),
                (_("Add a scenario"), where["quiz"]),
                (_("See its scenarios"), scenarios),
            ]
        elif check.key in where:
            links = [(_("Go there"), where[check.key])]
        lines.append({"check": check, "links": links})
    context = {
        "lines": lines,
        "ready": all(line["check"].done for line in lines),
        "has_quiz": comparison.has_quiz,
        "quiz_findings": len(quality["quiz_findings"]) if comparison.has_quiz else 0,
        "preview_url": comparison.get_absolute_url(),
    }
    return render_to_string("admin/explainer/comparison/checklist.html", context)


def new_quiz_findings(draft):
    """The quiz rules the draft breaks and its live page does not: those need the editor's confirmation.

    A rule the live quiz already broke was confirmed when it went live; asking
    again on every change would teach editors to tick the box unread.
    """
    live = {(f.item, f.rule, f.message) for f in content_checks.quality(draft.draft_of)["quiz_findings"]}
    return [f for f in content_checks.quality(draft)["quiz_findings"] if (f.item, f.rule, f.message) not in live]


def draft_views(model_admin):
    """URL patterns of the draft views, bound to `model_admin` (the ComparisonAdmin)."""

    def comparison_or_404(request, object_id):
        comparison = Comparison.objects.filter(pk=as_id(object_id)).first() if as_id(object_id) else None
        if comparison is None:
            raise Http404(_("No such comparison."))
        # Drafts change content: the same permission as changing a comparison at all.
        if not model_admin.has_change_permission(request):
            raise PermissionDenied
        return comparison

    def draft_or_404(request, object_id):
        draft = comparison_or_404(request, object_id)
        if not draft.is_draft_copy:
            raise Http404(_("This comparison is not a draft of a live page."))
        return draft

    def change_url(comparison):
        return reverse("admin:explainer_comparison_change", args=[comparison.pk])

    @require_POST
    def start(request, object_id):
        live = comparison_or_404(request, object_id)
        if not live.is_published:
            messages.info(request, _("This comparison is not live: edit it directly."))
            return redirect(change_url(live))
        existing = live.draft
        draft = drafts.start(live, request.user)
        if existing is None:
            messages.success(
                request,
                _(
                    "This is the draft of “%(title)s”. Readers keep seeing the live page until you "
                    "choose “Publish changes”."
                )
                % {"title": live},
            )
        return redirect(change_url(draft))

    @require_http_methods(["GET", "HEAD"])
    def changes(request, object_id):
        draft = draft_or_404(request, object_id)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Comparison._meta,
            "original": draft,
            "live": draft.draft_of,
            "title": _("Changes in the draft of %(title)s") % {"title": draft.draft_of},
            "sections": drafts.changes(draft),
            "problems": drafts.problems(draft),
        }
        return TemplateResponse(request, "admin/explainer/comparison/draft_changes.html", context)

    @require_POST
    def publish(request, object_id):
        draft = draft_or_404(request, object_id)
        problems = drafts.problems(draft)
        if not problems and draft.has_quiz and not request.POST.get("confirm_quiz"):
            problems = [f"{f.item}: {f.message}" for f in new_quiz_findings(draft)[:20]]
            intro = _(
                "The changes were not published: they make the quiz break these rules. Fix them, or tick "
                "“Publish even though the quiz breaks a rule” and publish again:"
            )
        else:
            intro = _("The changes were not published; the live page is unchanged. The draft still needs:")
        if problems:
            messages.error(request, problem_list(intro, problems))
            return redirect(change_url(draft))
        try:
            live = drafts.publish(draft, request.user)
        except drafts.DraftError as error:  # changed between the check above and the publication
            messages.error(request, problem_list(intro, error.problems))
            return redirect(change_url(draft))
        messages.success(request, _("Published: readers now see the changes to “%(title)s”.") % {"title": live})
        return redirect(change_url(live))

    @require_http_methods(["GET", "HEAD", "POST"])
    def discard(request, object_id):
        draft = draft_or_404(request, object_id)
        live = draft.draft_of
        if request.method == "POST":
            drafts.discard(draft, request.user)
            messages.success(
                request,
                _("The draft was discarded; “%(title)s” is as it was. The draft stays in its history.")
                % {"title": live},
            )
            return redirect(change_url(live))
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Comparison._meta,
            "original": draft,
            "live": live,
            "title": _("Discard the draft of %(title)s?") % {"title": live},
            "sections": drafts.changes(draft),
        }
        return TemplateResponse(request, "admin/explainer/comparison/draft_discard.html", context)

    view = model_admin.admin_site.admin_view
    return [
        path("<path:object_id>/draft/start/", view(start), name="explainer_comparison_draft_start"),
        path("<path:object_id>/draft/changes/", view(changes), name="explainer_comparison_draft_changes"),
        path("<path:object_id>/draft/publish/", view(publish), name="explainer_comparison_draft_publish"),
        path("<path:object_id>/draft/discard/", view(discard), name="explainer_comparison_draft_discard"),
    ]
