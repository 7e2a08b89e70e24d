"""Who may do what in the campaigns app: the one place that says it (over `core.roles`).

Scoping (what a user may *see*) lives in selectors (`units.selectors.units_visible_to` and the campaign selectors);
these predicates decide what a user may *do* with an object already in scope.
"""

from core import roles

is_officer = roles.is_officer


def can_manage_campaign(user):
    """Create/edit the plan, its contents, milestones, yearly themes: Sở Nội vụ administrators only."""
    return roles.is_snv_admin(user)


def can_review(user):
    """Review evidence, evaluate initiatives, record inspections, send reminders: Sở Nội vụ admin/appraiser."""
    return roles.is_snv_staff(user)


def can_read_all(user):
    """See every unit's work (monitoring, registrations, inspections): Sở Nội vụ and leaders."""
    return roles.reads_province(user)


def can_see_unit_work(user, unit):
    """Open a unit's achievements and initiatives: Sở Nội vụ and leaders, or a user of the unit or a unit above."""
    return roles.reads_province(user) or (roles.is_signed_in(user) and user.unit_id is not None
                                          and unit.is_within(user.unit))


def can_act_for_unit(user, unit):
    """Register, record achievements, propose initiatives, complete follow-up tasks for `unit`:
    the officer of the unit or of one of its ancestors (the officer's subtree)."""
    return roles.acts_for(user, unit)


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
