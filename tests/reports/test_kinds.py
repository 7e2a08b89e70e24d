"""Report kinds are data: `reports.kinds` is the one place a kind is described, and the reports modules import one
way (services → tasks → generation), with no cycle."""

import ast
import copy
import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import models
from django.template.loader import get_template

from core.text import download_name, fold
from reports import generation, kinds, render
from reports.context import build_for, period_for
from reports.forms import DraftOpenForm
from reports.management.commands.build_report import Command as BuildReport
from reports.models import ReportDraft, ReportFormat, ReportKind

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"


class ExtraKind(models.TextChoices):
    """Kinds a test adds for its duration (the real ones are `ReportKind`)."""

    THEMATIC = "thematic", "Báo cáo chuyên đề"
    QUARTERLY = "quarterly", "Báo cáo quý"


def _thematic(**overrides):
    return kinds.KindSpec(**{
        "kind": ExtraKind.THEMATIC, "subject": "Chuyên đề của phong trào thi đua “%(title)s”",
        "wording": "báo cáo chuyên đề", "file_stem": "Báo cáo chuyên đề", "milestone_kind": "thematic",
        "fallback_end": lambda campaign: datetime.date(2024, 6, 30), **overrides})


@pytest.fixture
def thematic(monkeypatch):
    """A fourth kind registered the way a real one is: one spec (and an enum value), nothing else edited."""
    spec = _thematic()
    monkeypatch.setitem(kinds.SPECS, spec.code, spec)
    return spec


# The spec is the single source ----------------------------------------------------------------------------------


def test_every_kind_has_exactly_one_spec_and_a_template():
    assert list(kinds.SPECS) == ReportKind.values  # same kinds, same order
    for code, spec in kinds.SPECS.items():
        assert spec.kind == code and spec.kind in ReportKind
        assert spec.label == ReportKind(code).label
        assert get_template(spec.template) is not None
        assert "%(title)s" in str(spec.subject)
        assert (spec.milestone_kind is None and spec.fallback_end is None) == spec.per_year
        assert bool(spec.missing_year) == spec.per_year
    assert [spec.code for spec in kinds.SPECS.values() if spec.per_year] == ["yearly"]
    with pytest.raises(ValueError, match="không phải là một loại báo cáo"):
        kinds.spec_for("monthly")


def test_file_names_come_from_the_spec_for_every_kind(campaign):
    expected = {
        ("yearly", "pdf"): "bao-cao-ket-qua-nam-2023-584-KH-UBND.pdf",
        ("yearly", "xlsx"): "bao-cao-ket-qua-nam-2023-584-KH-UBND.xlsx",
        ("yearly", "stats"): "bieu-thong-ke-bao-cao-ket-qua-nam-2023-584-KH-UBND.xlsx",
        ("interim", "pdf"): "bao-cao-so-ket-584-KH-UBND-2023.pdf",
        ("interim", "xlsx"): "bao-cao-so-ket-584-KH-UBND-2023.xlsx",
        ("interim", "stats"): "bieu-thong-ke-bao-cao-so-ket-584-KH-UBND-2023.xlsx",
        ("final", "pdf"): "bao-cao-tong-ket-584-KH-UBND-2025.pdf",
        ("final", "xlsx"): "bao-cao-tong-ket-584-KH-UBND-2025.xlsx",
        ("final", "stats"): "bieu-thong-ke-bao-cao-tong-ket-584-KH-UBND-2025.xlsx",
    }
    names = {}
    for code, spec in kinds.SPECS.items():
        draft = ReportDraft(campaign=campaign, kind=code, year=2023 if spec.per_year else None)
        for fmt in ReportFormat.values:
            names[code, fmt] = generation.file_name(draft, fmt)
            assert download_name(fold(spec.file_stem.format(year=draft.year)), ext="x")[:-2] in names[code, fmt]
    assert names == expected


def test_the_form_and_the_command_offer_exactly_the_kinds(campaign):
    form = DraftOpenForm(campaign=campaign)
    assert list(form.fields["kind"].choices) == ReportKind.choices == kinds.choices()
    parser = BuildReport().create_parser("manage.py", "build_report")
    [kind_option] = [action for action in parser._actions if "--kind" in action.option_strings]
    assert list(kind_option.choices) == ReportKind.values


def test_the_year_rule_is_the_specs(campaign):
    form = DraftOpenForm({"kind": "yearly", "year": ""}, campaign=campaign)
    assert not form.is_valid() and form.errors["year"] == ["Hãy chọn năm cho báo cáo kết quả năm."]
    assert DraftOpenForm({"kind": "final", "year": ""}, campaign=campaign).is_valid()
    assert kinds.year_of("final", 2023) is None and kinds.year_of("yearly", 2023) == 2023


def test_a_review_without_its_milestone_falls_back_to_the_specs_end(campaign):
    campaign.milestones.all().delete()
    interim, final = period_for(campaign, "interim"), period_for(campaign, "final")
    assert (interim.start, interim.end) == (datetime.date(2022, 10, 14), datetime.date(2023, 12, 31))
    assert (final.start, final.end) == (datetime.date(2022, 10, 14), datetime.date(2025, 12, 31))


# A new kind needs nothing outside its spec ---------------------------------------------------------------------


def test_a_new_kind_builds_a_context_a_file_name_and_a_document(thematic, dataset, settings, tmp_path):
    campaign = dataset["campaign"]
    context = build_for(campaign, "thematic")
    assert context["kind"] == "thematic" and context["kind_label"] == "báo cáo chuyên đề"
    assert context["subject"] == f"Chuyên đề của phong trào thi đua “{campaign.title}”"
    # No "thematic" milestone in the plan: the spec's fallback end is the period's end.
    period = context["period"]
    assert (period.start, period.end, period.years) == (campaign.starts_on, datetime.date(2024, 6, 30),
                                                        (2022, 2023, 2024))
    assert period.label == "từ ngày 14/10/2022 đến ngày 30/06/2024"
    assert context["registered_units"] == 4  # the same selectors as every kind (GN-01 registered in 2024)

    draft = ReportDraft(campaign=campaign, kind="thematic")
    assert generation.file_name(draft, ReportFormat.PDF) == "bao-cao-chuyen-de-584-KH-UBND-2024.pdf"
    assert "Báo cáo chuyên đề" in str(draft)

    # The shared document template unless the spec names its own.
    assert f"Chuyên đề của phong trào thi đua “{campaign.title}”" in render.render_html(context)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "thematic.html").write_text("<p>{{ document_type }}: {{ subject }} ({{ kind_label }})</p>")
    settings.TEMPLATES = [{**copy.deepcopy(settings.TEMPLATES[0]),
                           "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    kinds.SPECS["thematic"] = _thematic(template="reports/thematic.html")
    assert render.render_html(context) == (f"<p>BÁO CÁO: Chuyên đề của phong trào thi đua “{campaign.title}” "
                                           "(báo cáo chuyên đề)</p>")


def test_a_new_kind_is_offered_by_the_form_and_built_by_the_command(thematic, dataset, tmp_path):
    campaign = dataset["campaign"]
    form = DraftOpenForm({"kind": "thematic"}, campaign=campaign)
    assert ("thematic", "Báo cáo chuyên đề") in list(form.fields["kind"].choices)
    assert form.is_valid(), form.errors
    output = tmp_path / "chuyen-de.xlsx"
    call_command("build_report", "--campaign", campaign.number, "--kind", "thematic", "--format", "xlsx",
                 "--output", str(output), stdout=io.StringIO())
    workbook = openpyxl.load_workbook(output)
    title = workbook[render.SHEETS["summary"]]["A1"].value
    assert title == (f"BÁO CÁO: Chuyên đề của phong trào thi đua “{campaign.title}” "
                     "(từ ngày 14/10/2022 đến ngày 30/06/2024)")


def test_a_new_per_year_kind_asks_for_a_year(monkeypatch, campaign):
    spec = kinds.KindSpec(kind=ExtraKind.QUARTERLY, subject="Quý của “%(title)s” năm %(year)s", wording="báo cáo quý",
                          file_stem="Báo cáo quý {year}", per_year=True, missing_year="Hãy chọn năm cho báo cáo quý.")
    monkeypatch.setitem(kinds.SPECS, spec.code, spec)
    form = DraftOpenForm({"kind": "quarterly", "year": ""}, campaign=campaign)
    assert not form.is_valid() and form.errors["year"] == ["Hãy chọn năm cho báo cáo quý."]
    period = period_for(campaign, "quarterly", 2024)
    assert (period.start, period.end, period.label) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31),
                                                        "năm 2024")
    assert kinds.year_of("quarterly", 2024) == 2024
    draft = ReportDraft(campaign=campaign, kind="quarterly", year=2024)
    assert generation.file_name(draft, ReportFormat.XLSX) == "bao-cao-quy-2024-584-KH-UBND.xlsx"
    assert "--kind yearly, quarterly" in BuildReport().create_parser("manage.py", "build_report").format_help()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Báo cáo quý cần --year"):
        call_command("build_report", "--campaign", campaign.number, "--kind", "quarterly", "--output", "/dev/null")


def test_no_module_branches_on_the_kind():
    """What differs by kind is read from the spec: no `kind == …`, no dict keyed by kind, no `ReportKind(…)`."""
    readers = ["context.py", "services.py", "generation.py", "forms.py", "views.py", "render.py", "tasks.py",
               "management/commands/build_report.py"]
    branch = re.compile(r"""kind\W{0,3}\s*(==|!=|in\b)|(==|!=)\s*ReportKind\.|\{\s*ReportKind\.|ReportKind\.\w+\s*:|"""
                        r"""ReportKind\(""")
    found = {name: [hit.group(0) for hit in branch.finditer((REPORTS / name).read_text())] for name in readers}
    assert {name: hits for name, hits in found.items() if hits} == {}


# One direction of imports --------------------------------------------------------------------------------------


def _reports_imports():
    """{module: {reports modules it imports anywhere in its source, lazily or not}} for every module of reports."""
    modules = {}
    for path in sorted(REPORTS.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets.add(base)
                targets |= {f"{base}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_reports_modules_import_one_way():
    graph = _reports_imports()
    assert graph["reports.services"] >= {"reports.tasks"}
    assert graph["reports.tasks"] >= {"reports.generation"}
    assert not graph["reports.generation"] & {"reports.services", "reports.tasks", "reports.views"}
    assert "reports.services" not in graph["reports.tasks"]
    assert graph["reports.kinds"] == set()  # the models import it: it imports nothing of reports
    state = {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            assert state.get(target) != "open", f"import cycle: {' → '.join([*path, target])}"
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_every_reports_module_imports_fresh():
    """Each module imported first (after Django's set-up, which loads the models) in a fresh interpreter."""
    names = [name for name in _reports_imports() if name not in ("reports", "reports.models", "reports.kinds")]
    script = (
        "import importlib, os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); os.environ.setdefault('DEBUG', '1')\n"
        "import django; django.setup()\n"
        "kept = {'reports', 'reports.models', 'reports.kinds', 'reports.apps', 'reports.admin'}\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('reports.') and m not in kept]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *names], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
