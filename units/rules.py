"""Who may do what with units and people: the one place that says it.

Scoping (what a user may *see*) lives in selectors; these predicates decide what a user may *change*.
"""

from .models import Role


def can_manage_unit_tree(user):
    """Create/edit any unit and import the unit list: Sở Nội vụ administrators only."""
    return user.is_authenticated and user.is_snv_admin


def can_edit_unit(user, unit):
    """Administrators edit any unit; an officer edits the sub-units under its own unit (not its own unit)."""
    if can_manage_unit_tree(user):
        return True
    return _is_officer(user) and unit.pk != user.unit_id and unit.is_within(user.unit)


def can_add_unit_under(user, parent):
    if can_manage_unit_tree(user):
        return True
    return _is_officer(user) and parent is not None and parent.is_within(user.unit)


def can_edit_people(user, unit=None):
    """Administrators edit anyone; an officer edits the people of its subtree; appraisers and leaders read."""
    if can_manage_unit_tree(user):
        return True
    if not _is_officer(user):
        return False
    return unit is None or unit.is_within(user.unit)


def _is_officer(user):
    return user.is_authenticated and user.role == Role.OFFICER and user.unit_id is not None
