"""The province generator at a tiny scale: counts, determinism for a seed, a consistent materialised path."""

import hashlib

import pytest
from django.db import transaction

from bench.generate import GeneratorError, generate, sizes_for
from campaigns.models import Achievement, EvidenceFile, Registration
from core.files import private_storage
from core.text import fold
from units.models import Person, Unit, UnitKind

SCALE = 0.01
TINY = 0.005


def _snapshot():
    return {
        "units": list(Unit.objects.order_by("code").values_list("code", "name", "kind", "path")),
        "people": list(Person.objects.order_by("staff_code").values_list("staff_code", "full_name", "unit__code")),
        "achievements": list(Achievement.objects.order_by("title").values_list("title", "unit__code", "status")),
    }


@pytest.mark.django_db
def test_counts_paths_files_awards_and_par():
    counts = generate(scale=SCALE, seed=7)
    size = sizes_for(SCALE)
    units = {u.pk: u for u in Unit.objects.all()}
    assert counts["units"] == len(units) == 1 + size["departments"] + size["districts"] + size["communes"] \
        + size["divisions"]
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == 1
    for unit in units.values():
        assert unit.search_name == fold(unit.name)
        if unit.parent_id is None:
            assert unit.path == f"{unit.code}/" and unit.depth == 0
        else:
            parent = units[unit.parent_id]
            assert unit.path == f"{parent.path}{unit.code}/"
            assert unit.depth == parent.depth + 1
    assert Person.objects.count() == size["people"] == counts["people"]
    assert all(p.search_name == fold(p.full_name) for p in Person.objects.all())
    assert EvidenceFile.objects.count() == size["evidence"] == counts["evidence"]
    assert Registration.objects.values("year").distinct().count() == 4
    evidence = EvidenceFile.objects.first()
    with private_storage().open(evidence.file.name, "rb") as handle:
        content = handle.read()
    assert len(content) == evidence.size
    assert hashlib.sha256(content).hexdigest() == evidence.sha256

    from awards.models import Dossier, DossierState
    from par.models import ScoreSheet

    assert Dossier.objects.count() == sizes_for(SCALE)["dossiers"] == counts["dossiers"]
    # The first dossiers take each state once, so every state is present even at a tiny scale.
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert not Dossier.objects.filter(state="awarded", decision__isnull=True).exists()
    par_units = Unit.objects.filter(kind__in=["department", "district", "commune"]).count()
    assert ScoreSheet.objects.count() == counts["sheets"] == par_units * 4


@pytest.mark.django_db
def test_same_seed_same_data_and_refuses_non_empty_database():
    with transaction.atomic():
        generate(scale=TINY, seed=11)
        first = _snapshot()
        with pytest.raises(GeneratorError):
            generate(scale=TINY, seed=11)
        transaction.set_rollback(True)
    assert not Unit.objects.exists()
    with transaction.atomic():
        generate(scale=TINY, seed=11)
        second = _snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(scale=TINY, seed=12)
        other = _snapshot()
        transaction.set_rollback(True)
    assert first == second
    assert first["people"] != other["people"]
    assert len(first["units"]) > 5 and len(first["people"]) == sizes_for(TINY)["people"]


@pytest.mark.django_db
def test_command_generates_then_refuses_a_non_empty_database():
    from io import StringIO

    from django.core.management import CommandError, call_command

    from bench.management.commands.generate_province import Command

    out = StringIO()
    call_command(Command(), "--scale", str(TINY), "--seed", "3", stdout=out)
    assert f"people={sizes_for(TINY)['people']}" in out.getvalue()
    assert Person.objects.filter(staff_code="G-000001").exists()
    with pytest.raises(CommandError, match="cơ sở dữ liệu trống"):
        call_command(Command(), "--scale", str(TINY), stdout=StringIO())
    with pytest.raises(CommandError, match="--scale"):
        call_command(Command(), "--scale", "0", stdout=StringIO())


def test_bench_is_installed_by_the_bench_settings_only():
    """Production settings leave the generator out; `bench.settings_bench` installs it and the command runs."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    import bench.settings_bench

    assert "bench" not in settings.INSTALLED_APPS
    assert "bench" in bench.settings_bench.INSTALLED_APPS
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DEBUG": "1"}
    result = subprocess.run([sys.executable, "manage.py", "generate_province", "--help"], env=env,
                            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout
