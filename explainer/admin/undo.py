"""Undo in every content admin: "Restore this version" from history, and "Recover deleted" one item at a time.

Views (explainer.restore does the work):
- History (<id>/history/): each version but the current one has its own
  "Restore this version" link, to the restore view below.
- <id>/history/<version>/restore/: GET says what restoring will do, POST restores
  (for a live page, into its draft) and opens the form of what was restored.
  django-reversion's own revision page (a date in History) leads here: its "revert"
  form had no save button on a live page, and reverted a whole revision.
- recover/: only real deletions (explainer.restore.recoverable).
- recover/<version>/: GET asks, POST brings back that one item and opens its form.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from reversion.models import Version

from explainer import restore


class UndoAdmin:
    """Mixed into the content admins (before reversion's VersionAdmin)."""

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.restore_view)
        name = f"{opts.app_label}_{opts.model_name}_restore"
        own = path("<path:object_id>/history/<int:version_id>/restore/", view, name=name)
        return [own, *super().get_urls()]

    def _url(self, name, *args):
        info = self.model._meta.app_label, self.model._meta.model_name
        return reverse(f"{self.admin_site.name}:{info[0]}_{info[1]}_{name}", args=args)

    def _version(self, version_id, object_id=None):
        version = get_object_or_404(Version, pk=version_id)
        same_kind = version._model is not None and (
            version._model._meta.concrete_model is self.model._meta.concrete_model
        )
        if not same_kind or (object_id is not None and version.object_id != str(object_id)):
            raise PermissionDenied  # a version of something else, through this admin's address
        return version

    def _confirm(self, request, version, title, sentence, button):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "version": version,
            "sentence": sentence,
            "button": button,
        }
        return TemplateResponse(request, "admin/explainer/undo_confirm.html", context)

    def _get_action_list(self, request, object_id, extra_context=None):
        """reversion-compare's rows of the history page, each older version with the address that restores it.

        The newest version is what the object holds now (for a live page, what readers see): it is
        marked "current" instead, as restoring it would change nothing.
        """
        actions = super()._get_action_list(request, object_id, extra_context)
        if not actions or not self.has_change_permission(request):
            return actions
        newest = max(actions, key=lambda action: (action["revision"].date_created, action["version"].pk))
        for action in actions:
            if action is newest:
                action["current"] = True
            else:
                version = action["version"]
                action["restore_url"] = self._url("restore", quote(version.object_id), version.pk)
        return actions

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return redirect(self._url("restore", quote(unquote(object_id)), version_id))

    def restore_view(self, request, object_id, version_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        version = self._version(version_id, unquote(object_id))
        if request.method != "POST":
            return self._confirm(
                request,
                version,
                _("Restore this version of “%(name)s”?") % {"name": version.object_repr},
                restore.describe(version),
                _("Restore this version"),
            )
        try:
            obj = restore.restore(version, request.user)
        except restore.RestoreError as error:
            messages.error(request, str(error))
            return redirect(self._url("history", quote(unquote(object_id))))
        messages.success(request, restore.comment_for(version) + " " + _("Check it, then save or publish."))
        return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))

    def recoverlist_view(self, request, extra_context=None):
        return super().recoverlist_view(request, {**(extra_context or {}), "deleted": restore.recoverable(self.model)})

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = self._version(version_id)
        if request.method != "POST":
            return self._confirm(
                request,
                version,
                _("Recover “%(name)s”?") % {"name": version.object_repr},
                _("It comes back as it was when it was deleted, with what it held (notes, cells), and nothing else."),
                _("Recover it"),
            )
        try:
            obj = restore.recover(version, request.user)
        except restore.RestoreError as error:
            messages.error(request, str(error))
            return redirect(self._url("recoverlist"))
        messages.success(request, _("“%(name)s” is back.") % {"name": obj})
        return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
