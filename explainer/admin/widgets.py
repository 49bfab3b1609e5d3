"""Admin widgets that survive what a hostile or broken form sends."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


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
    pass


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
