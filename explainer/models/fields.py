"""Field shapes that several models share."""

from django.db import models


def optional_link(to, *, on_delete, related_name, verbose_name, editable=True, one_to_one=False, **options):
    """A link that may be empty: null in the database, blank in forms.

    `editable=False` for a link only the code sets (a draft's original, a response's pupil), which no
    form shows; `one_to_one` for at most one row per target.
    """
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        editable=editable,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )
