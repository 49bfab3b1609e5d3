"""{% editor_home %}: the editor's home on the admin index (explainer.admin.home)."""

from django import template

from explainer.admin.home import editor_home as home

register = template.Library()


@register.inclusion_tag("admin/editor_home.html", takes_context=True)
def editor_home(context):
    return {"home": home(context["request"].user)}
