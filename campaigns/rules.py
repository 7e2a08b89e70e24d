"""Who may do what in the campaigns app: the one place that says it.

Scoping (what a user may *see*) lives in selectors (`units.selectors.units_visible_to` and the campaign selectors);
these predicates decide what a user may *do* with an object already in scope.
"""

from units.models import Role


def _authenticated(user):
    return user is not None and user.is_authenticated


def is_officer(user):
    """A unit's focal officer (cán bộ đầu mối) attached to a unit."""
    return _authenticated(user) and not user.is_superuser and user.role == Role.OFFICER and user.unit_id is not None


def can_manage_campaign(user):
    """Create/edit the plan, its contents, milestones, yearly themes: Sở Nội vụ administrators only."""
    return _authenticated(user) and user.is_snv_admin


def can_review(user):
    """Review evidence, evaluate initiatives, record inspections, send reminders: Sở Nội vụ admin/appraiser."""
    return _authenticated(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER))


def can_read_all(user):
    """See every unit's work (monitoring, registrations, inspections): Sở Nội vụ and leaders."""
    return _authenticated(user) and user.is_province_wide


def can_act_for_unit(user, unit):
    """Register, record achievements, propose initiatives, complete follow-up tasks for `unit`:
    the officer of the unit or of one of its ancestors (the officer's subtree)."""
    return is_officer(user) and unit is not None and unit.is_within(user.unit)


def can_see_drafts(user):
    """Draft campaigns and unpublished themes are visible to administrators only."""
    return can_manage_campaign(user)


def can_remind(user):
    """Send registration / progress reminders to units."""
    return can_review(user)


def can_record_inspection(user):
    return can_review(user)


def can_complete_task(user, task):
    """The inspected unit's officer (or an officer above it) marks a follow-up task done."""
    return can_act_for_unit(user, task.inspection.unit)
