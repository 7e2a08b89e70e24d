"""The process-wide garbage-collector switch of core.documents: on in web requests, paused only by the report worker.

`fewer_gc_pauses` is measured in bench/gc_pauses.py (bench/README.md); it may only be used by the worker side of
the reports (reports.render), never by a PDF made inside a request (the award decision).
"""

import datetime
import gc

import pytest
import weasyprint
from django.urls import reverse

from awards import services
from core import documents
from reports import render

HTML = "<!doctype html><html><body><p>Tờ trình</p></body></html>"


@pytest.fixture
def gc_seen(monkeypatch):
    """Records gc.isenabled() while WeasyPrint lays out (HTML.render) and writes (Document.write_pdf)."""
    seen = []
    layout, write = weasyprint.HTML.render, weasyprint.Document.write_pdf

    def recording_layout(self, *args, **kwargs):
        seen.append(("layout", gc.isenabled()))
        return layout(self, *args, **kwargs)

    def recording_write(self, *args, **kwargs):
        seen.append(("write", gc.isenabled()))
        return write(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", recording_layout)
    monkeypatch.setattr(weasyprint.Document, "write_pdf", recording_write)
    assert gc.isenabled()
    yield seen
    assert gc.isenabled()


def test_the_switch_pauses_inside_its_block_only_and_nests():
    assert gc.isenabled()
    with documents.fewer_gc_pauses():
        assert not gc.isenabled()
        with documents.fewer_gc_pauses():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), documents.fewer_gc_pauses():
        raise RuntimeError("render failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with documents.fewer_gc_pauses():
            pass
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()


def test_document_helpers_leave_the_collector_on(gc_seen):
    assert len(documents.render_document(HTML).pages) == 1
    assert documents.write_pdf(HTML).startswith(b"%PDF")
    assert gc_seen and all(enabled for _step, enabled in gc_seen)


def test_decision_pdf_in_a_web_request_leaves_the_collector_on(client_for, users, make_dossier, signers, gc_seen):
    dossier = make_dossier("at_council")
    decision = services.decision_record(dossiers=[dossier], by=users["admin"], date=datetime.date(2023, 12, 5),
                                        signer=signers["chair"])
    gc_seen.clear()
    response = client_for(users["leader"]).get(reverse("awards:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert {step for step, _enabled in gc_seen} == {"layout", "write"}
    assert all(enabled for _step, enabled in gc_seen)


def test_report_worker_renders_with_the_collector_paused(gc_seen):
    pdf, pages, _seconds, _cpu = render._render_part(HTML)
    assert pdf.startswith(b"%PDF") and pages == 1
    assert gc_seen == [("layout", False), ("write", False)]
    gc_seen.clear()
    two = render.PART_MARKER.join(["<!doctype html><html><head></head><body><p>Một</p>", "<p>Hai</p></body></html>"])
    assert render._render_sequential(render.split_parts(two)).startswith(b"%PDF")
    assert gc_seen and not any(enabled for _step, enabled in gc_seen)
