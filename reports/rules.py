"""Who may do what with reports: the one place that says it (over `core.roles`).

Sở Nội vụ (administrators, appraisers) write the narrative and generate; leaders read and download; unit officers
have no access to reports at all.
"""

from core import roles


def can_read_reports(user):
    """See the report pages, the dashboard, previews and generated files: Sở Nội vụ and leaders."""
    return roles.reads_province(user)


def can_write_reports(user):
    """Write the narrative and generate versions: Sở Nội vụ administrators and appraisers."""
    return roles.is_snv_staff(user)


def can_configure_reports(user):
    """See what of the reports' legal data is still unchecked (statistical forms): Sở Nội vụ administrators."""
    return roles.is_snv_admin(user)


def can_sign_report(user, signer):
    """Sign a registered report digitally: the signer's own account, linked by Sở Nội vụ to a configured identity."""
    from core import signing

    return can_read_reports(user) and signing.may_sign(user, signer)
