"""Who may do what with units and people: the one place that says it (over `core.roles`).

Scoping (what a user may *see*) lives in selectors; these predicates decide what a user may *change*.
"""

from core import roles


def can_manage_unit_tree(user):
    """Create/edit any unit and import the unit list: Sở Nội vụ administrators only."""
    return roles.is_snv_admin(user)


def can_restructure(user):
    """The restructuring operation (merge, split units; move their people, accounts and open work): Sở Nội vụ
    administrators only."""
    return roles.is_snv_admin(user)


def can_see_whole_province(user):
    """The whole unit tree (Sở Nội vụ and leaders); an officer sees its own subtree."""
    return roles.reads_province(user)


def can_edit_unit(user, unit):
    """Administrators edit any unit; an officer edits the sub-units under its own unit (not its own unit)."""
    return can_manage_unit_tree(user) or (roles.acts_for(user, unit) and unit.pk != user.unit_id)


def can_add_unit_under(user, parent):
    return can_manage_unit_tree(user) or roles.acts_for(user, parent)


def can_edit_people(user, unit=None):
    """Administrators edit anyone; an officer edits the people of its subtree; appraisers and leaders read."""
    return can_manage_unit_tree(user) or (roles.is_officer(user) and (unit is None or roles.acts_for(user, unit)))


# Accounts and the activity page -----------------------------------------------------------------------------


def can_manage_accounts(user):
    """Create, edit, deactivate, reset and unlock accounts: Sở Nội vụ administrators only."""
    return roles.is_snv_admin(user)


def can_manage_account(user, account):
    """An administrator manages any account but a super-user's, which only a super-user may change."""
    return can_manage_accounts(user) and (user.is_superuser or not account.is_superuser)


def can_view_accounts(user):
    """The accounts pages: administrators (every account) and unit officers (their subtree's, read-only)."""
    return can_manage_accounts(user) or roles.is_officer(user)


def can_view_activity(user):
    """The activity page: administrators (every row) and unit officers (the rows about their subtree)."""
    return can_manage_accounts(user) or roles.is_officer(user)


def sees_all_activity(user):
    return can_manage_accounts(user)


# The signature and seal images of the digital signatures (units/signing_images.py) ------------------------------


def can_manage_signing_images(user):
    """Upload and retire the signers' signature images and the issuing bodies' seal images: Sở Nội vụ
    administrators only (the images are printed on every signed document of the province)."""
    return roles.is_snv_admin(user)
