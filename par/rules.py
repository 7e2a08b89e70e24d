"""Who may do what with the PAR index: the one place that says it (over `core.roles`).

Scoping (which sheets a user may *see*) lives in `par.selectors`; these predicates decide what a user may *do*
with an object already in scope.
"""

from core import roles


def can_manage_sets(user):
    """Create, edit, import, copy criteria sets; open scoring; publish and reopen results: Sở Nội vụ admins."""
    return roles.is_snv_admin(user)


def can_appraise(user):
    """Appraise sheets, return them for explanation, import survey scores: Sở Nội vụ appraisers (and admins)."""
    return roles.is_snv_staff(user)


def can_read_all(user):
    """See every sheet, the appraisal view and the rankings: Sở Nội vụ and leaders."""
    return roles.reads_province(user)


def can_self_assess(user, sheet):
    """Score, explain, attach evidence, submit: the officer of the sheet's own unit only.

    Officers of a unit above it (a district over its communes) may read the sheet but not act for it: every
    district, commune and department has its own focal officer and answers for its own index.
    """
    return roles.is_officer(user) and sheet.unit_id == user.unit_id


def can_see_appraisal(user, sheet):
    """Appraised scores and comments: Sở Nội vụ/leaders always; the unit once published or when returned."""
    return can_read_all(user) or sheet.appraisal_visible_to_unit
