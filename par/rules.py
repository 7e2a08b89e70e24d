"""Who may do what with the PAR index: the one place that says it.

Scoping (which sheets a user may *see*) lives in `par.selectors`; these predicates decide what a user may *do*
with an object already in scope.
"""

from units.models import Role


def _authenticated(user):
    return user is not None and user.is_authenticated


def can_manage_sets(user):
    """Create, edit, import, copy criteria sets; open scoring; publish and reopen results: Sở Nội vụ admins."""
    return _authenticated(user) and user.is_snv_admin


def can_appraise(user):
    """Appraise sheets, return them for explanation, import survey scores: Sở Nội vụ appraisers (and admins)."""
    return _authenticated(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER))


def can_read_all(user):
    """See every sheet, the appraisal view and the rankings: Sở Nội vụ and leaders."""
    return _authenticated(user) and user.is_province_wide


def can_self_assess(user, sheet):
    """Score, explain, attach evidence, submit: the officer of the sheet's own unit only.

    Officers of a unit above it (a district over its communes) may read the sheet but not act for it: every
    district, commune and department has its own focal officer and answers for its own index.
    """
    return (_authenticated(user) and not user.is_superuser and user.role == Role.OFFICER
            and user.unit_id is not None and sheet.unit_id == user.unit_id)


def can_see_appraisal(user, sheet):
    """Appraised scores and comments: Sở Nội vụ/leaders always; the unit once published or when returned."""
    return can_read_all(user) or sheet.appraisal_visible_to_unit
