"""Who may do what with award dossiers: the one place that says it (over `core.roles`).

Scoping (which dossiers a user may *see*) lives in `awards.selectors.dossiers_visible_to`; these predicates decide
what a user may *do* with a dossier already in scope (failures answer 403).
"""

from core import roles

is_officer = roles.is_officer


def can_see_all_dossiers(user):
    """Every unit's dossiers and decisions: Sở Nội vụ and both leader roles (an officer sees its subtree's)."""
    return roles.reads_province(user)


def can_prepare_for(user, unit):
    """Create, edit, submit and withdraw dossiers of `unit`: the officer of the unit or of one of its ancestors."""
    return roles.acts_for(user, unit)


def can_edit(user, dossier):
    return can_prepare_for(user, dossier.unit) and dossier.is_editable


def can_appraise(user):
    """Receive, return, appraise: Sở Nội vụ appraisers and administrators."""
    return roles.is_snv_staff(user)


def can_manage(user):
    """Put dossiers to the council, reopen, edit the catalogue and history: Sở Nội vụ administrators."""
    return roles.is_snv_admin(user)


def can_decide(user):
    """Record the decision (award or not award, one dossier or a batch): Sở Nội vụ administrators (the council's
    secretariat records it) and the approving leader. The read-only leader may not."""
    return roles.is_snv_admin(user) or roles.is_approver(user)


def can_see_checks(user, dossier):
    return can_prepare_for(user, dossier.unit) or can_appraise(user) or can_decide(user)


def can_configure_certificates(user):
    """Edit the certificate layouts, upload the blanks' images, set the printers' offsets: Sở Nội vụ administrators."""
    return roles.is_snv_admin(user)


def can_print_certificates(user):
    """Print a decision's certificates and the calibration page: Sở Nội vụ staff (the office that prints them)."""
    return roles.is_snv_staff(user)


def can_read_register(user):
    """The award register and the national-records export: the province-wide roles (Sở Nội vụ, the leaders)."""
    return roles.reads_province(user)


def can_sign_decision(user, decision):
    """Sign a registered decision digitally: the signer's own account, linked by Sở Nội vụ to a configured
    identity (`core.signing.may_sign`)."""
    from core import signing

    return bool(decision.entry_id and not decision.external and signing.may_sign(user, decision.signer_ref))
