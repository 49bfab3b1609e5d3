"""Readers' reports."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from explainer.models import (
    Report,
)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The queue of readers' reports: newest first, filtered by status, each linked to its page."""

    list_display = ["created_at", "status", "comparison", "scenario", "short_message", "page_link"]
    list_filter = ["status", "comparison"]
    list_editable = ["status"]
    search_fields = ["message", "note"]
    list_select_related = ["comparison", "scenario"]
    readonly_fields = ["comparison", "scenario", "message", "created_at", "page_link"]
    fields = ["status", "note", "page_link", "comparison", "scenario", "message", "created_at"]
    actions = ["mark_fixed", "mark_dismissed"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # reports come from readers

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"

    @admin.display(description=_("reported page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.action(description=_("Mark as fixed"), permissions=["change"])
    def mark_fixed(self, request, queryset):
        queryset.update(status=Report.Status.FIXED)

    @admin.action(description=_("Mark as dismissed"), permissions=["change"])
    def mark_dismissed(self, request, queryset):
        queryset.update(status=Report.Status.DISMISSED)
