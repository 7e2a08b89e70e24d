"""Who a user is, once for every app: the roles and the predicates each app's `rules.py` builds its verbs on.

Scoping (which rows a user may *see*) lives in the selectors; these predicates say what kind of user this is.
Super-users count as Sở Nội vụ administrators, never as a unit's officer (they act for no unit).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị viên Sở Nội vụ")
    APPRAISER = "appraiser", _("Chuyên viên thẩm định Sở Nội vụ")
    OFFICER = "officer", _("Cán bộ đầu mối đơn vị")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")


# Roles that see every unit of the province (the rest, officers, see their own subtree).
PROVINCE_WIDE = (Role.ADMIN, Role.APPRAISER, Role.LEADER, Role.APPROVER)


def is_signed_in(user):
    return user is not None and user.is_authenticated


def is_officer(user):
    """A unit's focal officer (cán bộ đầu mối), attached to a unit."""
    return (is_signed_in(user) and not user.is_superuser and user.role == Role.OFFICER
            and user.unit_id is not None)


def is_snv_admin(user):
    """Sở Nội vụ administrator (or a super-user)."""
    return is_signed_in(user) and (user.is_superuser or user.role == Role.ADMIN)


def is_snv_staff(user):
    """Sở Nội vụ staff: administrators and appraisers (review, appraise, write reports)."""
    return is_signed_in(user) and (user.is_superuser or user.role in (Role.ADMIN, Role.APPRAISER))


def is_leader(user):
    """The read-only leader (Lãnh đạo, chỉ xem): reads the whole province, changes nothing."""
    return is_signed_in(user) and not user.is_superuser and user.role == Role.LEADER


def is_approver(user):
    """The approving leader (Lãnh đạo phê duyệt): reads the whole province and records award decisions."""
    return is_signed_in(user) and not user.is_superuser and user.role == Role.APPROVER


def reads_province(user):
    """Sees the whole province (every unit's work, monitoring, reports): Sở Nội vụ staff and both leader roles."""
    return is_signed_in(user) and (user.is_superuser or user.role in PROVINCE_WIDE)


def acts_for(user, unit):
    """The officer of `unit` or of one of its ancestors (an officer acts for its whole subtree)."""
    return is_officer(user) and unit is not None and unit.is_within(user.unit)

