"""What every content admin shares: revisions, the live lock, the way back to the comparison being edited."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.validators import MaxLengthValidator
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from reversion_compare.admin import CompareVersionAdmin

from explainer.admin.concurrent import ConcurrentAdmin, ConcurrentInline
from explainer.admin.undo import UndoAdmin
from explainer.admin.widgets import NamedCellsFormSet, SafeAutocompleteAdmin
from explainer.editing import ConcurrentForm
from explainer.models import (
    Comparison,
)


def as_id(raw):
    """`raw` (from a URL or a form) as a database id, or None: digits only, and short enough for any
    database (a longer number raised OverflowError in the query, a 500)."""
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter whose every choice keeps the rows of one condition.

    `conditions` maps each value in the URL to (its label, a Q object, or a function returning one when
    the condition depends on the moment, such as today's date).
    """

    conditions = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _condition) in self.conditions.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.conditions:
            return queryset
        _label, condition = self.conditions[self.value()]
        return queryset.filter(condition() if callable(condition) else condition)


class LoginForm(AdminAuthenticationForm):
    """The admin login, refusing an over-long username before any authentication runs.

    Django's login form sets the username's max_length after the field is made,
    so the length is never validated; an over-long name then reached
    django-axes, whose attempt log holds 255 characters (a 500 on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class ContentAdmin(SafeAutocompleteAdmin, ConcurrentAdmin, UndoAdmin, CompareVersionAdmin):
    """Admin for content: every save keeps a revision (who, when); "History" compares two
    revisions and restores one (a live page's through its draft); "Recover deleted" brings back
    a deleted item (explainer.admin.undo). A save from a stale copy is merged, never overwrites
    another editor's change (explainer.admin.concurrent)."""

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and as_id(object_id) is None:
            return None  # not an id: Django's lookup raised OverflowError for a long number
        return super().get_object(request, object_id, from_field)

    def get_search_results(self, request, queryset, search_term):
        """Django's search, with an exact match of the first search field ranked first (autocomplete too)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and hasattr(self.model, "draft_of"):
            # Drafts' private copies are never offered as a choice elsewhere.
            queryset = queryset.filter(draft_of__isnull=True)
        term = search_term.strip()
        if term and self.search_fields:
            exact = {f"{self.search_fields[0]}__iexact": term}
            queryset = queryset.annotate(
                exact_match=Case(When(Q(**exact), then=Value(0)), default=Value(1), output_field=IntegerField())
            ).order_by("exact_match", *(queryset.query.order_by or self.model._meta.ordering or ["pk"]))
        return queryset, may_have_duplicates


class LiveLock:
    """For admins of what belongs to a comparison: nothing of a live comparison is changed in place.

    Live pages change only through a draft (explainer.drafts): these objects are
    shown read-only, with a link to start or open the draft; a form that would
    attach something new to a live comparison is refused with that advice.
    `owner_of(obj)` names what decides: the comparison an object belongs to (or the concept).
    """

    def owner_of(self, obj):
        return obj.comparison

    def is_locked(self, obj):
        if obj is None or obj.pk is None:
            return False
        owner = self.owner_of(obj)
        return owner is not None and owner.is_locked

    def has_change_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)


class LiveGuardForm(ConcurrentForm):
    """A form that refuses to attach anything to a live comparison (or a concept a live page shows).

    `owner_field` names the field whose value decides; `owner(value)` maps it to
    the comparison or concept (by default the value itself).
    """

    owner_field = "comparison"

    def owner(self, value):
        return value

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get(self.owner_field)
        error = refuse_live(self.owner(value)) if value is not None else None
        if error is not None:
            raise error
        return cleaned


def refuse_live(owner):
    """The form error for attaching something to a live comparison or concept (None when it is not live)."""
    if owner is not None and owner.is_locked:
        return forms.ValidationError(
            _(
                "“%(title)s” is shown on a live page: readers would see this at once. Open the live "
                "comparison and choose “Edit a draft”, then make the change in the draft."
            ),
            code="live",
            params={"title": owner},
        )
    return None


class ReturnToComparison:
    """Screens the checklist links to (with ?comparison=<id>) go back to that comparison after "Save".

    `on_added(request, obj, comparison)` may attach the new object to it first.
    """

    def checklist_comparison(self, request):
        raw = request.GET.get("comparison", "")
        return Comparison.objects.filter(pk=as_id(raw)).first() if as_id(raw) else None

    def back_to(self, request, response, obj, added):
        comparison = self.checklist_comparison(request)
        stays = {"_continue", "_addanother", "_saveasnew", IS_POPUP_VAR} & set(request.POST)
        if comparison is None or stays or response.status_code != 302:
            return response
        if added:
            self.on_added(request, obj, comparison)
        return redirect(reverse("admin:explainer_comparison_change", args=[comparison.pk]) + "#readiness")

    def on_added(self, request, obj, comparison):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        return self.back_to(request, super().response_add(request, obj, post_url_continue), obj, added=True)

    def response_change(self, request, obj):
        return self.back_to(request, super().response_change(request, obj), obj, added=False)


class LockedInline(SafeAutocompleteAdmin, ConcurrentInline):
    """An inline of a parent that may be live: read-only while the parent is locked; merges stale saves."""

    def parent_locked(self, obj):
        return obj is not None and getattr(obj, "is_locked", False)

    def has_add_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.parent_locked(obj) and super().has_delete_permission(request, obj)


class LockedTabularInline(LockedInline, admin.TabularInline):
    """A tabular LockedInline: its fields, named on screen by their column, are named for screen readers too."""

    formset = NamedCellsFormSet
