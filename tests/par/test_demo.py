import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import panels
from par import demo
from par.models import CriteriaSet, ScoreSheet, SheetStatus
from units.demo.builder import build_demo


@pytest.mark.django_db
def test_demo_builds_fast_is_idempotent_and_its_pages_render(client):
    build_demo()
    # Its cost is counted in queries (bulk writes), not timed: the demo is built by every `make run`.
    with CaptureQueriesContext(connection) as queries:
        summary = demo.build()
    assert "Chỉ số CCHC" in summary
    assert len(queries) < 1000  # 772 today for about 100 sheets of some 40 scores each: never one per score
    assert CriteriaSet.objects.filter(year=2023, published_at__isnull=False).count() == 3
    assert CriteriaSet.objects.filter(year=2024, published_at__isnull=True).count() == 3
    published = ScoreSheet.objects.filter(criteria_set__year=2023)
    assert published.exists() and not published.exclude(status=SheetStatus.PUBLISHED).exists()
    assert ScoreSheet.objects.filter(criteria_set__year=2024, status=SheetStatus.DRAFT).exists()
    assert published.filter(index_percent__gt=50).count() == published.count()
    from par.models import ParEvidenceFile
    from par.selectors import missing_evidence

    submitted = ScoreSheet.objects.filter(criteria_set__year=2024, status=SheetStatus.SUBMITTED).first()
    assert missing_evidence(submitted) == []  # a submitted demo sheet has its required evidence
    count, files = ScoreSheet.objects.count(), ParEvidenceFile.objects.count()
    assert files > 0
    demo.build()
    assert (ScoreSheet.objects.count(), ParEvidenceFile.objects.count()) == (count, files)
    _pages_render(client)


def _pages_render(client):
    from django.urls import reverse

    from units.models import Unit, User

    public = client.get(reverse("par:public_ranking", args=[2023]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Sở, ban, ngành" in text and "UBND cấp huyện" in text and "UBND cấp xã" in text
    assert client.get(reverse("par:public_ranking", args=[2024])).status_code == 404

    client.force_login(User.objects.get(username="snv.thamdinh"))
    current = CriteriaSet.objects.get(year=2024, group="district")
    ranking = client.get(reverse("par:ranking", args=[current.pk]))
    assert ranking.status_code == 200 and "<svg" in ranking.content.decode()
    sheet = ScoreSheet.objects.filter(criteria_set__year=2024, status=SheetStatus.UNDER_APPRAISAL).first()
    assert client.get(reverse("par:appraisal", args=[sheet.pk])).status_code == 200

    client.force_login(User.objects.get(username="dakmil.canbo"))
    mine = client.get(reverse("par:index")).content.decode()
    assert "Đắk Mil" in mine

    unit = Unit.objects.get(code="DM")
    html = panels.render("unit", unit, only={"par.results"})
    assert "2023" in html and "Kết quả Chỉ số CCHC đã công bố" in html and "/8" in html
