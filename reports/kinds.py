"""Report kinds as data: the `ReportKind` enum and one `KindSpec` per kind, saying everything that differs by kind.

The context (period, subject line, wording), the services (does a draft have a year), the forms and the
`build_report` command (choices, the missing-year message), the generation (file names) and the HTML renderer (the
document template) all read the spec through `spec_for`; none of them branches on the kind. A new kind is one enum
value, one spec here and, if it needs one, its own document template (plus the migration `makemigrations` writes
for the new choice): see "Adding a report kind" in docs/architecture.md.

This module imports no other module of `reports` (the models import it), so every report module can read it.
"""

import datetime
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import MilestoneKind


class ReportKind(models.TextChoices):
    YEARLY = "yearly", _("Báo cáo kết quả năm")
    INTERIM = "interim", _("Báo cáo sơ kết")
    FINAL = "final", _("Báo cáo tổng kết")


# Where a review's period ends when the plan has no milestone for it ----------------------------------------------


def end_of_plan(campaign):
    return campaign.ends_on


def end_of_second_calendar_year(campaign):
    """The end of the year after the plan's first year, within the plan (Plan 584: 14/10/2022 → 31/12/2023)."""
    return min(campaign.ends_on, datetime.date(campaign.starts_on.year + 1, 12, 31))


@dataclass(frozen=True)
class KindSpec:
    """What one report kind is. Every text is lazy: it is translated when a report is built, not at import."""

    kind: models.TextChoices
    """The enum member (its value is stored on drafts and versions, its label is the kind's name)."""
    subject: str
    """The subject line under "BÁO CÁO", formatted with `title` (the plan's) and `year` (the report's, or None)."""
    wording: str
    """How the body names the report ("sơ kết"); the context's `kind_label`."""
    file_stem: str
    """The downloaded file's name before " - <plan number>.<ext>", formatted with `year`."""
    per_year: bool = False
    """Period rule: True, one calendar year of the plan chosen per draft (the draft has a year); False, one review
    over the plan: the period of its `milestone_kind` milestone, or the plan's start to `fallback_end(campaign)`."""
    milestone_kind: str | None = None
    fallback_end: Callable | None = None
    missing_year: str = ""
    """The form's message when a per-year draft is opened without a year."""
    template: str = "reports/document.html"
    """The HTML (and PDF) document; the XLSX and the statistical forms are the same for every kind."""
    outline: tuple = ("direction", "contents", "inspection", "commendation", "assessment", "next_steps", "proposals")
    """The document's sections in order (keys of `reports.context.SECTIONS`), numbered I, II, … as they appear."""
    opening: str = ""
    """The first paragraph after the plan's reference, formatted with `reporter` (the issuing body), `period`
    (the period's label), `first` and `last` (its years)."""
    next_steps_title: str = ""
    """The heading of "phương hướng", formatted with `next` (the year after the period) and `end` (the plan's last
    year)."""
    content_review: bool = False
    """Each content shows the plan's requirement, its figures year by year and an assessment (reviews)."""
    lessons: bool = False
    """The general assessment has "bài học kinh nghiệm" (required) besides strengths, limitations and causes."""
    recipients: tuple = ()
    """The default "Nơi nhận" of a new draft (one entry a line; the filing line "Lưu: …" last), edited on the
    draft."""

    @property
    def code(self):
        return self.kind.value

    @property
    def label(self):
        return self.kind.label


REVIEW_RECIPIENTS = (_("Ủy ban nhân dân tỉnh (b/c)"), _("Chủ tịch, các Phó Chủ tịch UBND tỉnh (b/c)"),
                     _("Hội đồng Thi đua - Khen thưởng tỉnh (b/c)"), _("Giám đốc, các Phó Giám đốc Sở"),
                     _("Lưu: VT, TĐKT"))
"""The "Nơi nhận" of a review (sơ kết, tổng kết): the province's leaders read it as well."""

SPECS = {spec.code: spec for spec in (
    KindSpec(
        kind=ReportKind.YEARLY,
        subject=_("Kết quả thực hiện phong trào thi đua “%(title)s” năm %(year)s"),
        wording=_("báo cáo kết quả năm"),
        file_stem="Báo cáo kết quả năm {year}",
        per_year=True,
        missing_year=_("Hãy chọn năm cho báo cáo kết quả năm."),
        opening=_("%(reporter)s báo cáo kết quả thực hiện Phong trào thi đua %(period)s như sau:"),
        next_steps_title=_("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM %(next)s"),
        recipients=(_("Ủy ban nhân dân tỉnh (b/c)"), _("Hội đồng Thi đua - Khen thưởng tỉnh (b/c)"),
                    _("Giám đốc, các Phó Giám đốc Sở"), _("Lưu: VT, TĐKT")),
    ),
    KindSpec(
        kind=ReportKind.INTERIM,
        subject=_("Sơ kết phong trào thi đua “%(title)s”"),
        wording=_("sơ kết"),
        file_stem="Báo cáo sơ kết",
        milestone_kind=MilestoneKind.INTERIM_REVIEW,
        fallback_end=end_of_second_calendar_year,
        opening=_("%(reporter)s báo cáo sơ kết Phong trào thi đua giai đoạn %(first)s - %(last)s (%(period)s) như "
                  "sau:"),
        next_steps_title=_("PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN %(next)s - %(end)s"),
        content_review=True,
        lessons=True,
        recipients=REVIEW_RECIPIENTS,
    ),
    KindSpec(
        kind=ReportKind.FINAL,
        subject=_("Tổng kết phong trào thi đua “%(title)s”"),
        wording=_("tổng kết"),
        file_stem="Báo cáo tổng kết",
        milestone_kind=MilestoneKind.FINAL_REVIEW,
        fallback_end=end_of_plan,
        outline=("situation", "direction", "contents", "inspection", "commendation", "assessment", "next_steps",
                 "proposals"),
        opening=_("%(reporter)s báo cáo tổng kết Phong trào thi đua giai đoạn %(first)s - %(last)s (%(period)s) như "
                  "sau:"),
        next_steps_title=_("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"),
        content_review=True,
        lessons=True,
        recipients=REVIEW_RECIPIENTS,
    ),
)}
"""Every kind's spec, by code, in the enum's order (a test may register one more for its duration)."""

if set(SPECS) != set(ReportKind.values):  # pragma: no cover - a kind added to one place and not the other
    raise ImproperlyConfigured(f"reports.kinds: kinds {sorted(ReportKind.values)} but specs {sorted(SPECS)}")


def spec_for(kind):
    """The spec of a kind code (or enum member); ValueError for a kind that has none."""
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(f"“{kind}” không phải là một loại báo cáo.") from None


def codes():
    return list(SPECS)


def choices():
    """(code, label) of every kind, for a form field (callable: read when the form is built)."""
    return [(spec.code, spec.label) for spec in SPECS.values()]


def reviews():
    """The kinds whose period is a review over the plan (not one year), for the dashboard's choice of period."""
    return [spec for spec in SPECS.values() if not spec.per_year]


def year_of(kind, year):
    """The year a draft of this kind keeps: the given one for a per-year kind, None for a review."""
    return year if spec_for(kind).per_year else None


def per_year_condition():
    """Q matching the drafts whose kind is per year (the models' "has a year" constraint); for the one per-year kind
    of today it is exactly `Q(kind="yearly")`, so the constraint of migration 0001 is unchanged."""
    matches = [Q(kind=spec.code) for spec in SPECS.values() if spec.per_year]
    return functools.reduce(operator.or_, matches) if matches else Q(pk__in=[])
