"""Who may do what with award dossiers: the one place that says it.

Scoping (which dossiers a user may *see*) lives in `awards.selectors.dossiers_visible_to`; these predicates decide
what a user may *do* with a dossier already in scope (failures answer 403).
"""

from units.models import Role


def _authenticated(user):
    return user is not None and user.is_authenticated


def is_officer(user):
    return _authenticated(user) and not user.is_superuser and user.role == Role.OFFICER and user.unit_id is not None


def can_prepare_for(user, unit):
    """Create, edit, submit and withdraw dossiers of `unit`: the officer of the unit or of one of its ancestors."""
    return is_officer(user) and unit is not None and unit.is_within(user.unit)


def can_edit(user, dossier):
    return can_prepare_for(user, dossier.unit) and dossier.is_editable


def can_appraise(user):
    """Receive, return, appraise: Sở Nội vụ appraisers and administrators."""
    return _authenticated(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER))


def can_manage(user):
    """Put dossiers to the council, reopen, edit the catalogue and history: Sở Nội vụ administrators."""
    return _authenticated(user) and user.is_snv_admin


def can_decide(user):
    """Record the decision: Sở Nội vụ administrators and leaders (the council's secretariat records it for them)."""
    return _authenticated(user) and (user.is_snv_admin or user.role == Role.LEADER)


def can_see_checks(user, dossier):
    return can_prepare_for(user, dossier.unit) or can_appraise(user) or can_decide(user)
