"""Two editors at once, in every content admin and inline (explainer.editing does the work)."""

from django.contrib import messages

from explainer import editing


def _with_base(fieldsets, editable):
    """`fieldsets` with the hidden base field last in the first one when `editable` (it renders as a hidden
    input), and nowhere otherwise (a read-only page would show it as an empty line)."""
    fieldsets = [
        (name, {**options, "fields": [f for f in options["fields"] if f != editing.BASE_FIELD]})
        for name, options in fieldsets
    ]
    if not fieldsets or not editable:
        return fieldsets
    name, options = fieldsets[0]
    return [(name, {**options, "fields": [*options["fields"], editing.BASE_FIELD]}), *fieldsets[1:]]


class ConcurrentAdmin:
    """Merges saves from stale copies, and says who else has the form open."""

    form = editing.ConcurrentForm

    def get_fieldsets(self, request, obj=None):
        # Nothing to merge into on a new object or a read-only page.
        editable = obj is not None and self.has_change_permission(request, obj)
        return _with_base(super().get_fieldsets(request, obj), editable)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        editable = obj is not None and self.has_change_permission(request, obj)
        if editable:
            editing.greet(request, obj)
        response = super().change_view(request, object_id, form_url, extra_context)
        leaving = request.method == "POST" and response.status_code == 302 and "_continue" not in request.POST
        if editable and leaving:
            editing.leave(request, obj)
        return response

    def save_form(self, request, form, change):
        message = editing.merged_message(form)
        if message:
            messages.info(request, message)
        return super().save_form(request, form, change)


class ConcurrentInline:
    """Each inline form of an existing item carries its own base, and merges the same way."""

    form = editing.ConcurrentForm

    def get_fieldsets(self, request, obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        return _with_base(super().get_fieldsets(request, obj), editable)
