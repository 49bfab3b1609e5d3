"""Who has which admin form open: the "Ana is editing this since 10:02" notice (explainer.editing)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditPresence(models.Model):
    """One editor with one object's change form open: refreshed on every load of that form.

    Not a lock (WordPress's post lock is not one either): it only tells the others.
    The object is named by its model's label and id, so that one table serves every admin.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    started_at = models.DateTimeField(_("editing since"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("editor at work")
        verbose_name_plural = _("editors at work")
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id", "user"], name="one_presence_per_editor_and_object")
        ]

    def __str__(self):
        return f"{self.user} on {self.model} {self.object_id}"
