"""The declarative app configs (core.apps.ContributingConfig) and the small kernel helpers the duplicate-code work
introduced: what each app contributes is registered, in the order the registries rely on."""

from django.apps import apps

from core import demo, imports
from core.apps import ContributingConfig, CoreConfig
from core.documents import fill_lines
from core.queries import filter_given
from units import restructuring
from units.models import Unit


def test_every_domain_app_has_its_own_config():
    assert type(apps.get_app_config("core")) is CoreConfig
    for label in ("units", "campaigns", "par", "awards", "reports"):
        config = apps.get_app_config(label)
        assert isinstance(config, ContributingConfig) and type(config) is not ContributingConfig
    assert str(apps.get_app_config("awards").verbose_name) == "Khen thưởng"


def test_demo_builders_keep_their_order_closing_ones_last():
    assert demo.modules() == [
        "campaigns.demo_plan", "campaigns.demo_work", "par.demo", "awards.demo", "awards.demo_restructuring",
        "core.signing_demo", "reports.demo", "campaigns.demo_movement", "campaigns.demo_close",
    ]


def test_movers_jobs_and_action_labels_are_registered():
    assert {m.name for m in restructuring.movers()} >= {"registrations", "achievements", "par_sheets", "dossiers",
                                                          "nominees"}
    assert set(imports.registered()) >= {"units", "people", "par_set", "par_survey", "commendations"}
    from core.audit import action_label

    assert action_label("units_import") == "Nhập đơn vị từ Excel"


def test_filter_given_leaves_out_empty_filters():
    base = Unit.objects.all()
    assert str(filter_given(base, code="", kind=None).query) == str(base.query)
    assert str(filter_given(base, code="SNV", kind=None).query) == str(base.filter(code="SNV").query)


def test_fill_lines_breaks_at_spaces_and_keeps_a_long_word_alone():
    def too_wide(line):
        return len(line) > 10

    assert fill_lines("một hai ba bốn năm".split(), too_wide) == ["một hai ba", "bốn năm"]
    assert fill_lines(["dàiquámườikýtự", "a"], too_wide) == ["dàiquámườikýtự", "a"]
    assert fill_lines([], too_wide) == []
