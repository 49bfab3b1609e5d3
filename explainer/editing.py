"""Two editors on one object: no save from a stale copy overwrites anyone, and each sees who else is there.

Every admin change form (and each inline form) carries, in a hidden signed field,
the values the editor started from (the *base*). On save, each field is merged
three ways, base / mine (the form) / theirs (the database now):
- nobody changed it, or both made the same change: nothing to do;
- only the other editor changed it: their value is kept (the form's stale copy
  is not written back over it);
- only this editor changed it: saved;
- both changed it differently: a form error on that field shows the other
  editor's value beside the editor's own (still in the box); nothing is saved.
  The re-rendered form's base then holds their value, so saving again keeps
  what the editor chose.
An object deleted meanwhile is a form error too. A form sent without a base
(an older page) is saved as before. See docs/decisions.md, "Two editors at once".

The merge itself (`three_way`), the signed base (`sign_base`, `read_base`), the
conflict's wording (`conflict_message`) and a value put back in a form (`set_data`)
are shared by every screen that edits: ConcurrentForm below for the change forms
and their inlines, the one-screen table (explainer.admin.table), whose fields are
cells rather than model fields, and the quiz screen (explainer.admin.quiz_screen),
whose rows are scenarios. A screen of many rows merges each row with `row_merge`.

Presence: `arrive(request, obj)` records that the user has the object's form
open, and returns the others who loaded it in the last PRESENCE_MINUTES (`greet`
also tells the user who they are);
`leave(request, obj)` forgets the user when they leave the form by saving.
"""

import datetime
import json

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from explainer.models import EditPresence
from explainer.texts import normalise

BASE_FIELD = "edit_base"
SALT = "explainer.editing.base"
PRESENCE_MINUTES = 20  # a form loaded longer ago than this is taken as left (no heartbeat without JavaScript)
SHOWN = 300  # characters of the other editor's text shown in a conflict


def plain(value):
    """A comparable, JSON-safe form of a field value: objects by id, sets sorted, texts normalised."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, str):
        return normalise(value).strip()
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except TypeError:
        return repr(value)  # e.g. a row typed on the form (typed_rows.NewRow): differs from any stored id


def model_field_names(form):
    names = {f.name for f in form._meta.model._meta.get_fields() if getattr(f, "concrete", False)}
    return [name for name in form.fields if name in names and name != BASE_FIELD]


def values_of(instance, names):
    """{name: plain value} of `instance`'s fields `names`, as stored now."""
    found = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            found[name] = plain(list(getattr(instance, name).all())) if instance.pk else []
        elif field.is_relation:
            found[name] = getattr(instance, field.attname)
        else:
            found[name] = plain(getattr(instance, name))
    return found


def sign_base(values):
    """`values` ({name: plain value}) as the hidden field a form carries: signed, so it cannot be forged."""
    return signing.dumps(values, salt=SALT, compress=True)


def read_base(raw):
    """The values a form started from, or None (no base, or one this site did not make)."""
    if not raw:
        return None
    try:
        base = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        return None
    return base if isinstance(base, dict) else None


def three_way(base, mine, theirs):
    """Merge each name of `mine` (the form's plain values) with `theirs` (stored now), from `base`.

    Returns (taken, conflicts, next_base): the names only the other editor changed (their value
    is to be kept), the names both changed differently (to be shown), and the base a re-rendered
    form should carry (their values for both lists), so that saving again keeps the editor's choice.
    Names missing from `base` or `theirs` are left out: the caller decides what they mean.
    """
    taken, conflicts, next_base = [], [], dict(base)
    for name, value in mine.items():
        if name not in base or name not in theirs:
            continue
        was, now = base[name], theirs[name]
        if now == was or value == now:
            continue
        next_base[name] = now
        (taken if value == was else conflicts).append(name)
    return taken, conflicts, next_base


def row_merge(base, mine, theirs, deleting=False):
    """Merge one row of a screen of many rows (a scenario of the quiz screen): `base`, `mine` and
    `theirs` are the row's {name: plain value} as the page was opened, as sent, and as stored now.

    Returns (verdict, taken, conflicts, next_base); taken, conflicts and next_base as `three_way`:
    - "gone": the other editor deleted the row, and this editor changed nothing in it (or deletes
      it too): it stays deleted (`theirs` is None);
    - "gone-changed": the other editor deleted it and this editor changed it: a conflict, shown with
      what this editor typed (which a screen keeps, to be added back or let go);
    - "deleting-changed": this editor deletes it, and the other editor changed it since in a way this
      editor has not seen (a name in taken or conflicts): a conflict, asked first;
    - "merged": otherwise (conflicts, if any, are fields both changed differently).
    """
    if theirs is None:
        changed = any(name in base and value != base[name] for name, value in mine.items())
        return ("gone-changed" if changed and not deleting else "gone"), [], [], base
    taken, conflicts, next_base = three_way(base, mine, theirs)
    verdict = "deleting-changed" if deleting and (taken or conflicts) else "merged"
    return verdict, taken, conflicts, next_base


def set_data(form, name, value):
    """Put `value` (a plain value, as `plain` makes it) in bound `form`'s box `name`, as a browser sends it:
    a list as one value each, True as a ticked box, False as nothing (an unticked box sends nothing)."""
    form.data = form.data.copy()
    key = form.add_prefix(name)
    if isinstance(value, bool):
        if value:
            form.data[key] = "on"
        else:
            form.data.pop(key, None)
    elif isinstance(value, list) and hasattr(form.data, "setlist"):
        form.data.setlist(key, [str(v) for v in value])
    else:
        form.data[key] = "" if value is None else value


def screen_context(model_admin, request, comparison, screen):
    """What every one-screen editor of a comparison (the table, the quiz) shows around its form: the admin's
    context, the comparison, its draft with the same screen of the draft, and the way back to its form."""
    url_name = f"admin:explainer_comparison_{screen}"
    return {
        **model_admin.admin_site.each_context(request),
        "opts": comparison._meta,
        "original": comparison,
        "draft": comparison.draft,
        "draft_screen_url": reverse(url_name, args=[comparison.draft.pk]) if comparison.draft else "",
        "change_url": reverse("admin:explainer_comparison_change", args=[comparison.pk]),
    }


def shown(value):
    """The other editor's value, as a conflict shows it: "—" for nothing, cut after SHOWN characters."""
    if isinstance(value, Model) or value is None or isinstance(value, bool | int):
        text = str(value) if value not in (None, "") else "—"
    elif hasattr(value, "all"):
        text = ", ".join(str(v) for v in value.all()) or "—"
    else:
        text = str(value) or "—"
    return text[:SHOWN] + "…" if len(text) > SHOWN else text


def conflict_message(who, when, theirs):
    """The form error on a field both editors changed: who changed it, when, and their value (`shown`)."""
    params = {
        "who": (who.get_full_name() or who.get_username()) if who else _("Someone else"),
        "when": timezone.localtime(when).strftime("%H:%M") if when else "",
        "theirs": theirs,
    }
    return (
        _(
            "%(who)s changed this at %(when)s while you were editing. Theirs: “%(theirs)s”. Yours is in the box: "
            "keep it, take theirs or combine them, then save again."
        )
        % params
    )


def last_editor(instance):
    """Who saved `instance` last, and when, from its history (None, None when it has none)."""
    version = Version.objects.get_for_object(instance).select_related("revision__user").first()
    if version is None:
        return None, None
    return version.revision.user, version.revision.date_created


def _refusing_huge_ids(field):
    """`field.clean`, first refusing a number no database id can be ("Select a valid choice").

    Django looks a chosen id up as sent: a number beyond 64 bits raised OverflowError, a 500.
    """
    original = field.clean

    def clean(value):
        for item in value if isinstance(value, list | tuple) else [value]:
            try:
                number = int(str(item))
            except ValueError:
                continue
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)}
                )
        return original(value)

    return clean


class ConcurrentForm(forms.ModelForm):
    """A ModelForm that merges a save from a stale copy instead of overwriting (module docstring)."""

    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged, self.conflicts = [], []
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.clean = _refusing_huge_ids(field)
        if BASE_FIELD in self.fields and self.instance.pk is not None and not self.is_bound:
            self.initial[BASE_FIELD] = sign_base(values_of(self.instance, model_field_names(self)))

    def clean(self):
        cleaned = super().clean()
        base = read_base(cleaned.get(BASE_FIELD))
        if base is None or self.instance.pk is None:
            return cleaned  # no base, or not one this site made: saved as a form without one
        fresh = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if fresh is None:
            raise forms.ValidationError(
                _("Someone else deleted this while you were editing it. Your text is still below: copy what you need.")
            )
        names = [name for name in model_field_names(self) if name in base]
        mine = {name: plain(cleaned[name]) for name in names if name not in self.errors and name in cleaned}
        taken, self.conflicts, next_base = three_way(base, mine, values_of(fresh, names))
        who, when = last_editor(fresh)
        for name in taken:
            cleaned[name] = self._stored(fresh, name)
            self.merged.append(name)
            self._show(name, fresh)
        for name in self.conflicts:
            self.add_error(name, conflict_message(who, when, shown(getattr(fresh, name))))
        if self.conflicts:
            set_data(self, BASE_FIELD, sign_base(next_base))
        return cleaned

    def _stored(self, fresh, name):
        field = fresh._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(fresh, name).all())
        return getattr(fresh, name)

    def _show(self, name, fresh):
        """On a re-rendered form, show their value of a field the editor did not touch (text fields)."""
        value = getattr(fresh, name)
        if isinstance(value, str):
            set_data(self, name, value)


def merged_labels(form):
    """The labels of `form`'s fields where the other editor's change was kept (`form.merged`), joined."""
    return ", ".join(str(form.fields[name].label or name) for name in getattr(form, "merged", []))


def merged_message(form, fields=""):
    """A sentence for the editor naming the fields where the other editor's change was kept (`fields`, or
    `form`'s), or ""."""
    fields = fields or merged_labels(form)
    if not fields:
        return ""
    return _("Someone else changed %(fields)s while you were editing: their change was kept with yours.") % {
        "fields": fields
    }


def _key(obj, screen):
    # A screen other than the change form (the one-screen table) is a place of its own: "editing this".
    label = obj._meta.label_lower + (f"#{screen}" if screen else "")
    return label, str(obj.pk)


def arrive(request, obj, screen=""):
    """Record that request.user has `obj`'s form (or its `screen`) open; return the others there now, earliest
    first."""
    now = timezone.now()
    since = now - datetime.timedelta(minutes=PRESENCE_MINUTES)
    model, object_id = _key(obj, screen)
    mine = EditPresence.objects.filter(model=model, object_id=object_id, user=request.user).first()
    if mine is None:
        EditPresence.objects.create(model=model, object_id=object_id, user=request.user, started_at=now, seen_at=now)
    else:
        mine.started_at = mine.started_at if mine.seen_at >= since else now
        mine.seen_at = now
        mine.save(update_fields=["started_at", "seen_at"])
    EditPresence.objects.filter(seen_at__lt=since).delete()
    return list(
        EditPresence.objects.filter(model=model, object_id=object_id, seen_at__gte=since)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("started_at")
    )


def greet(request, obj, screen=""):
    """`arrive`, and on opening the page (not on a save) a notice naming the others who have it open."""
    others = arrive(request, obj, screen)
    if others and request.method != "POST":
        messages.warning(request, presence_message(others))


def leave(request, obj, screen=""):
    model, object_id = _key(obj, screen)
    EditPresence.objects.filter(model=model, object_id=object_id, user=request.user).delete()


def presence_message(others):
    """ "Ana is editing this since 10:02" for the editors in `others` (EditPresence rows)."""
    names = [
        _("%(name)s is editing this since %(time)s")
        % {
            "name": p.user.get_full_name() or p.user.get_username(),
            "time": timezone.localtime(p.started_at).strftime("%H:%M"),
        }
        for p in others
    ]
    return (
        "; ".join(names)
        + ". "
        + _("You can both save: changes to different fields are kept, and the same field is never overwritten unseen.")
    )
