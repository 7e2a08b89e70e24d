"""Who may do what with reports: the one place that says it.

Sở Nội vụ (administrators, appraisers) write the narrative and generate; leaders read and download; unit officers
have no access to reports at all.
"""

from units.models import Role


def _authenticated(user):
    return user is not None and user.is_authenticated


def can_read_reports(user):
    """See the report pages, the dashboard, previews and generated files: Sở Nội vụ and leaders."""
    return _authenticated(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER, Role.LEADER))


def can_write_reports(user):
    """Write the narrative and generate versions: Sở Nội vụ administrators and appraisers."""
    return _authenticated(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER))
