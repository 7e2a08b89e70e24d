"""The role predicates of `core.roles` for templates: `{% load roles %}{% if user|reads_province %}`."""

from django import template

from core import roles

register = template.Library()

for _name in ("is_officer", "is_snv_admin", "is_snv_staff", "reads_province"):
    register.filter(_name, getattr(roles, _name))
