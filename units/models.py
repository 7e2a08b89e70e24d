from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import roles
from core.fields import NFCCharField, NFCTextField
from core.roles import Role
from core.text import fold, normalize_code

PATH_SEPARATOR = "/"


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("UBND cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")
    DIVISION = "division", _("Phòng, ban chuyên môn")


class EmulationBlock(models.Model):
    """A khối (departments) or cụm (district/commune committees) thi đua: units that compete together."""

    class Kind(models.TextChoices):
        BLOCK = "block", _("Khối thi đua")
        CLUSTER = "cluster", _("Cụm thi đua")

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = NFCCharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.BLOCK)

    class Meta:
        ordering = ["code"]
        verbose_name = _("khối/cụm thi đua")
        verbose_name_plural = _("khối/cụm thi đua")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        super().save(*args, **kwargs)


class Unit(models.Model):
    """A collective in the tree: province PC → departments / district PCs → commune PCs; any → divisions.

    `path` is a materialised path of codes ("DNO/GN/GN-01/") so a whole subtree is one indexed prefix query.
    """

    code = models.CharField(_("mã đơn vị"), max_length=30, unique=True)
    name = NFCCharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, blank=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    block = models.ForeignKey(
        EmulationBlock, verbose_name=_("khối/cụm thi đua"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="units",
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    # Who took over this unit's work after a merger or a split, and from when (many to many: three communes into
    # one, one district's divisions into two communes); the rows are `UnitLink`s.
    successors = models.ManyToManyField(
        "self", verbose_name=_("đơn vị kế thừa"), through="UnitLink", through_fields=("predecessor", "successor"),
        symmetrical=False, related_name="predecessors", blank=True,
    )
    search_name = models.CharField(max_length=255, db_index=True, editable=False, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=(Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                           | Q(valid_to__gte=models.F("valid_from"))),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        self.search_name = fold(self.name)
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.code}{PATH_SEPARATOR}"
        self.depth = self.path.count(PATH_SEPARATOR) - 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.code])

    def is_within(self, other):
        """True when this unit is `other` or one of its descendants."""
        return self.path.startswith(other.path)

    @property
    def is_active(self):
        return self.valid_to is None or self.valid_to >= timezone.localdate()

    @property
    def ancestor_codes(self):
        return self.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]


class UnitLink(models.Model):
    """`successor` carries on `predecessor`'s work from `on` (the day after the predecessor's last day): a merger,
    a split or a renaming. History (commendations, PAR results, registrations) stays with the predecessor and is
    read through these links by the successor's pages, reports and eligibility checks."""

    predecessor = models.ForeignKey(Unit, verbose_name=_("đơn vị trước sắp xếp"), on_delete=models.CASCADE,
                                    related_name="successor_links")
    successor = models.ForeignKey(Unit, verbose_name=_("đơn vị kế thừa"), on_delete=models.CASCADE,
                                  related_name="predecessor_links")
    on = models.DateField(_("kế thừa từ ngày"), null=True, blank=True)
    basis = NFCCharField(_("căn cứ sắp xếp"), max_length=255, blank=True,
                         help_text=_("Ví dụ “Nghị quyết số 1671/NQ-UBTVQH15 ngày 16/6/2025”."))

    class Meta:
        ordering = ["on", "successor__code", "predecessor__code"]
        verbose_name = _("liên kết kế thừa đơn vị")
        verbose_name_plural = _("liên kết kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_link_once"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="unit_link_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class RestructuringRule(models.Model):
    """Law as data: what a legal text says about commending a unit that ended by a restructuring (refused, with
    the reason printed to the proposing unit), in force between two dates. `confirmed` is False until an
    administrator has checked the article against the published text; it is shown to administrators only."""

    reason = NFCTextField(_("lý do từ chối"))
    source = NFCCharField(_("văn bản quy định"), max_length=255)
    article = NFCCharField(_("điều, khoản"), max_length=100, blank=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("quy định về đơn vị đã sắp xếp")
        verbose_name_plural = _("quy định về đơn vị đã sắp xếp")

    def __str__(self):
        return f"{self.source} {self.article}".strip()


class Person(models.Model):
    """An individual (cá nhân) who may take part and be proposed for awards. No national ID numbers."""

    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    full_name = NFCCharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    position = NFCCharField(_("chức vụ"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    staff_code = models.CharField(_("mã cán bộ"), max_length=30, null=True, blank=True, unique=True)
    search_name = models.CharField(max_length=150, db_index=True, editable=False, blank=True)

    class Meta:
        ordering = ["search_name", "id"]
        # The list's order as one index: PostgreSQL then reads a page (and skips a deep page's offset) from the
        # index instead of sorting all people per request (SQLite's search_name index already ends with the id).
        indexes = [models.Index(fields=["search_name", "id"], name="person_name_order")]
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.staff_code = normalize_code(self.staff_code) or None
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("units:person_detail", args=[self.pk])


class User(AbstractUser):
    full_name = NFCCharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="officers"
    )
    # Set with a temporary password given by Sở Nội vụ: until the user changes it, every page leads to the
    # password change page (units.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(unit__isnull=False), name="officer_has_unit"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_province_wide(self):
        """Sở Nội vụ staff and leaders see the whole province; a unit officer only its subtree."""
        return roles.reads_province(self)

    @property
    def is_snv_admin(self):
        return roles.is_snv_admin(self)
