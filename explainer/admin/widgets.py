"""Admin widgets that survive what a hostile or broken form sends."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _


class ValidValuesOnly:
    """An autocomplete that re-renders only the sent values its field can hold.

    Django's autocomplete looks the sent values up to label them; a value that is
    not an id ("abc", or a number beyond 64 bits) made that query raise, so a form
    error became a 500. The
    form error itself ("Select a valid choice") is unchanged.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta
        to_field = target.get_field(getattr(self.field.remote_field, "field_name", target.pk.attname))
        kept = []
        for item in value:
            try:
                number = to_field.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            if isinstance(number, int) and not -(2**63) <= number < 2**63:
                continue  # an id no database holds (SQLite raised OverflowError)
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelect(ValidValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidValuesOnly, AutocompleteSelectMultiple):
    def build_attrs(self, base_attrs, extra_attrs=None):
        # No "remove all" cross: Select2 puts it inside the list of choices, a <ul> that may hold only
        # list items (axe: "list"); each choice has its own remove cross, and Backspace removes the last.
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


class NamedCellsFormSet(BaseInlineFormSet):
    """A tabular inline's formset whose every field has an accessible name.

    On screen, a column heading names the fields of a tabular inline; the fields themselves have
    no <label> (axe: "label", "select-name"). Each gets an aria-label: the column's name and the
    row's item ("Position (Alliance vs. Coalition: Alliance)"), or "new" on a row being added.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = str(form.instance) if form.instance.pk is not None else _("new")
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                # A foreign key's select is wrapped (the "+" and pencil links): the attributes rendered are
                # the inner widget's (the wrapper's own `attrs` are the field's shared original ones).
                widget = getattr(field.widget, "widget", field.widget)
                label = field.label or name.capitalize()
                widget.attrs["aria-label"] = _("%(field)s (%(row)s)") % {"field": label, "row": row}


class SafeAutocompleteAdmin:
    """For ModelAdmins and inlines: their autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
