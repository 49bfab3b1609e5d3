"""Spreadsheet import and export of a comparison's quiz (explainer.quiz_sheet), and the quiz rules page.

Import is two steps, both POSTs to one address:
1. the editor uploads a file: it is read and imported in a transaction that is
   rolled back; the page shows every row (new, changed, with errors) with the
   rules it breaks, and keeps the file in a hidden field;
2. "Import these rows" sends the file back: imported for real only if no row has
   an error and nobody changed the quiz in between (409 otherwise).
A live comparison's quiz is imported into its draft, never in place (403 here).
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from explainer import content_rules, quiz_sheet
from explainer.admin.quiz_screen import quiz_state
from explainer.models import Comparison


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_("One row per scenario. Export the quiz first to get the columns, even with no scenario yet."),
    )


def _comparison(model_admin, request, object_id, change=False):
    comparison = Comparison.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
    if comparison is None:
        raise Http404(_("No such comparison."))
    allowed = (
        model_admin.has_change_permission(request, comparison)
        and request.user.has_perms(["explainer.add_scenario", "explainer.change_scenario"])
        if change
        else model_admin.has_view_or_change_permission(request, comparison)
    )
    if not allowed:
        raise PermissionDenied
    return comparison


def export_view(model_admin, request, object_id):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    comparison = _comparison(model_admin, request, object_id)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in quiz_sheet.FORMATS:
        return HttpResponseBadRequest(_("Ask for format=csv or format=xlsx."))
    content = quiz_sheet.export(comparison, fmt)
    response = HttpResponse(content, content_type=quiz_sheet.FORMATS[fmt].get_content_type())
    name = f"{slugify(comparison.slug)}-quiz.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def import_view(model_admin, request, object_id):
    comparison = _comparison(model_admin, request, object_id)
    can_change = model_admin.has_change_permission(request, comparison) and request.user.has_perms(
        ["explainer.add_scenario", "explainer.change_scenario"]
    )
    quiz_url = reverse("admin:explainer_comparison_quiz", args=[comparison.pk])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Comparison._meta,
        "original": comparison,
        "comparison": comparison,
        "draft": comparison.draft,
        "title": _("Import the quiz of %(title)s") % {"title": comparison},
        "can_change": can_change,
        "quiz_url": quiz_url,
        "draft_screen_url": reverse("admin:explainer_comparison_quiz_import", args=[comparison.draft.pk])
        if comparison.draft
        else "",
        "change_url": reverse("admin:explainer_comparison_change", args=[comparison.pk]),
        "help_url": reverse("admin:explainer_quiz_rules"),
        "columns": quiz_sheet.ScenarioResource(comparison).fields.values(),
    }
    if request.method != "POST":
        context["form"] = UploadForm()
        return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context)
    if not can_change:
        raise PermissionDenied
    status = 200
    if "content" in request.POST:  # step 2: the confirmation, with the file sent back
        try:
            content = base64.b64decode(request.POST["content"], validate=True)
        except (binascii.Error, ValueError):
            return HttpResponseBadRequest(_("The file sent back was damaged: upload it again."))
        name = request.POST.get("name", "")
        form = UploadForm()
        if request.POST.get("state") != quiz_state(comparison):
            messages.error(
                request,
                _("Someone else changed this quiz since the preview. Nothing was imported: upload the file again."),
            )
            context["form"] = form
            return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context, status=409)
        try:
            report = quiz_sheet.apply(comparison, content, name, request.user)
        except quiz_sheet.SheetError as error:
            form.add_error(None, str(error))
            context["form"] = form
            return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context, status=400)
        if not report.has_errors:
            counts = report.counts
            messages.success(
                request,
                _("Imported “%(name)s”: %(new)d new scenario(s), %(update)d updated.")
                % {"name": name, "new": counts.get("new", 0), "update": counts.get("update", 0)},
            )
            return redirect(quiz_url)
        status = 400
    else:  # step 1: the upload and its preview
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            context["form"] = form
            return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        name = upload.name
        content = upload.read(quiz_sheet.MAX_BYTES + 1)
        try:
            report = quiz_sheet.preview(comparison, content, name)
        except quiz_sheet.SheetError as error:
            form.add_error("file", str(error))
            context["form"] = form
            return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context, status=400)
        status = 400 if report.has_errors else 200
    context.update(
        form=UploadForm(),
        report=report,
        name=name,
        content=base64.b64encode(content).decode(),
        state=quiz_state(comparison),
    )
    return TemplateResponse(request, "admin/explainer/comparison/quiz_import.html", context, status=status)


def rules():
    """(rule, title, why) for each content rule: why it exists, for editors (docs/quiz.md, for developers)."""
    return [
        (
            "names-concept",
            _("The text names a concept"),
            _(
                "A scenario must not contain a concept's name or one of its synonyms: the learner would match "
                "the word, not think about the case. Describe what happens instead."
            ),
        ),
        (
            "quotes-definition",
            _("The text quotes a definition"),
            _(
                "Three words in a row from a concept's definition (two of them not small words like “the”) give the "
                "answer away just as a name does. Say it in the case's own words."
            ),
        ),
        (
            "giveaway-word",
            _("A give-away word"),
            _(
                "If one word alone sorts too many scenarios right (more than %(two)s with two concepts, %(three)s with "
                "three) — say, every scenario with “treaty” is an alliance — learners learn the word, not the idea. "
                "The quiz screen lists the scenarios holding each such word: rewrite some of them, or add "
                "scenarios where the word appears with the other concept."
            )
            % {
                "two": f"{content_rules.GIVEAWAY_LIMIT[2]:.0%}",
                "three": f"{content_rules.GIVEAWAY_LIMIT[3]:.0%}",
            },
        ),
        (
            "against-type",
            _("Too few against type"),
            _(
                "At least %(share)s of the scenarios must be against type: the usual surface cue points the wrong way "
                "and a deeper row decides (a coalition that lasted decades). Tick “against type” on those."
            )
            % {"share": f"{content_rules.AGAINST_TYPE_MIN:.0%}"},
        ),
        (
            "size",
            _("Too few scenarios"),
            _(
                "A quiz needs at least %(two)d scenarios with two concepts (%(three)d with three or more), and at "
                "least %(each)d keyed to each concept, so that a round of questions is never the same few cases."
            )
            % {
                "two": content_rules.MIN_SCENARIOS[2],
                "three": content_rules.MIN_SCENARIOS[3],
                "each": content_rules.MIN_PER_CONCEPT,
            },
        ),
        (
            "cues",
            _("Cues"),
            _(
                "Each scenario names its deciding table rows as cues (they are highlighted in the feedback), and its "
                "explanation names each cue row, in parentheses: “(duration)”. A row named in parentheses must be a "
                "cue, and a cue must be a row of this table."
            ),
        ),
        (
            "wrong-choices",
            _("Notes on wrong choices"),
            _(
                "A note on a wrong choice says why that concept does not fit. It is for a wrong concept only; with "
                "three or more concepts every wrong concept needs one, since a learner who chose it needs their own "
                "answer."
            ),
        ),
        (
            "transfer",
            _("A retold case"),
            _(
                "At most %(share)s of a quiz's scenarios may retell a case the page itself presents (the same example, "
                "its source, or %(words)d words in a row from the page): a learner could match names and dates without "
                "seeing why. Quiz cases are cases the page does not show, in other settings, decided by the same rows."
            )
            % {"share": f"{content_rules.TRANSFER_MAX:.0%}", "words": content_rules.SHARED_PHRASE},
        ),
        (
            "classifier",
            _("Words in combination"),
            _(
                "A simple word-counting classifier, trained each time on the other scenarios, guesses each scenario's "
                "concept from its words alone. It may beat chance by at most %(margin)s: otherwise ordinary words in "
                "combination give the answer away. The panel lists the scenarios it gets right most surely: rewrite "
                "those first."
            )
            % {"margin": f"{content_rules.CLASSIFIER_MARGIN:.2f}"},
        ),
        (
            "key-in-sources",
            _("The key in the sources"),
            _(
                "The page's sources back its own claims. They never name a quiz scenario, nor say which case a "
                "source is a model for: a reader who opens them would find the answers."
            ),
        ),
        (
            "freshness",
            _("Claims that go stale"),
            _(
                "A claim that can change (“as of”, “currently”, “still in force”) says the month it was checked "
                "(“as of December 2026”) and has a source with that month and a review-by month at most a year "
                "later. A claim past its review date is a warning: the admin lists it under “Due for review”."
            ),
        ),
        (
            "one-account",
            _("One concept, one account"),
            _(
                "Comparisons that share a concept must tell the same story about it: the same real case keyed the same "
                "way, the same example under the same concept, the same row written the same way."
            ),
        ),
    ]


def rules_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Comparison._meta,
        "title": _("The quiz rules, explained"),
        "rules": rules(),
    }
    return TemplateResponse(request, "admin/explainer/comparison/quiz_rules.html", context)
