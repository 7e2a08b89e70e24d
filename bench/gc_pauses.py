#!/usr/bin/env python
"""Does pausing Python's cyclic garbage collector make WeasyPrint faster? (issue 11, `core.documents.fewer_gc_pauses`)

Lays out and writes one appendix-like document (appendix II of the final review: a 5-column table of N people in
the Decree 30/2020 page) exactly as the report worker does for one part (`render_document(html).write_pdf()`),
once with the collector on and once with it off, alternately, each run in a fresh child process (the same start
for both), and prints the median wall and CPU seconds and peak memory (RSS) of each mode and the gain. No database
is used.

    .venv/bin/python bench/gc_pauses.py               # 2,000 rows, 5 runs of each mode
    .venv/bin/python bench/gc_pauses.py --rows 500 --runs 3

The result of the last measurement is in bench/README.md ("Garbage collection while WeasyPrint renders").
"""

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ["Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở", "Chiến sĩ thi đua cơ sở"]


def appendix_html(rows):
    from django.template import Context, Template

    css = Template('{% include "documents/_page.css.html" %}').render(Context())
    body = "".join(
        f'<tr><td class="num">{n}</td><td>Cá nhân Thứ {n:04d}</td>'
        f'<td>{"Chuyên viên, Phòng Tổ chức cán bộ – Ủy ban nhân dân xã Đắk Sắk " * (1 + n % 4)}</td>'
        f'<td>{FORMS[n % 3]}</td>'
        f'<td>{"Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được công nhận cấp tỉnh. " * (1 + n % 5)}</td></tr>'
        for n in range(1, rows + 1))
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>{css}
  table.data {{ width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 12pt; margin: 4pt 0 8pt; }}
  table.data th, table.data td {{ border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: top; }}
  table.data th {{ font-weight: bold; text-align: center; }}
  table.data td.num {{ text-align: center; }}
  table.data thead {{ display: table-header-group; }}
  table.data tr {{ break-inside: avoid; }}
  .appendix-title {{ text-align: center; font-weight: bold; }}
</style></head><body><section class="appendix"><div class="appendix-title">Phụ lục II</div>
<table class="data"><colgroup><col style="width: 7%"><col style="width: 20%"><col style="width: 25%">
<col style="width: 18%"><col style="width: 30%"></colgroup>
<thead><tr><th>TT</th><th>Họ và tên</th><th>Chức vụ, đơn vị công tác</th><th>Hình thức</th>
<th>Thành tích tóm tắt</th></tr></thead><tbody>{body}</tbody></table></section></body></html>"""


def child(rows, paused):
    import django

    django.setup()
    import weasyprint  # noqa: F401  imported before the clock starts, as the worker does before forking

    from core import documents

    html = appendix_html(rows)
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    if paused:
        gc.disable()
    try:
        document = documents.render_document(html)
        pdf = document.write_pdf()
    finally:
        gc.enable()
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "pages": len(document.pages), "bytes": len(pdf),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["on", "off"])
    options = parser.parse_args(argv)
    if options.child:
        print(json.dumps(child(options.rows, paused=options.child == "off")))
        return 0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    times = {"on": [], "off": []}
    pages = None
    for run in range(options.runs):
        for mode in (("on", "off") if run % 2 == 0 else ("off", "on")):
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--rows", str(options.rows)],
                                 env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            times[mode].append(result)
            pages = result["pages"]
            print(f"run {run + 1} gc {mode:3}: {result['seconds']:.2f} s wall, {result['cpu']:.2f} s CPU, "
                  f"peak {result['peak_mb']:.0f} MB", flush=True)
    summary = {mode: {"median_s": round(statistics.median(r["seconds"] for r in rs), 2),
                      "median_cpu_s": round(statistics.median(r["cpu"] for r in rs), 2),
                      "median_peak_mb": round(statistics.median(r["peak_mb"] for r in rs)),
                      "all_s": [round(r["seconds"], 2) for r in rs]} for mode, rs in times.items()}
    gain = 1 - summary["off"]["median_s"] / summary["on"]["median_s"]
    cpu_gain = 1 - summary["off"]["median_cpu_s"] / summary["on"]["median_cpu_s"]
    print(json.dumps({"rows": options.rows, "pages": pages, "runs": options.runs, **summary,
                      "gain_percent": round(100 * gain, 1), "cpu_gain_percent": round(100 * cpu_gain, 1),
                      "python": sys.version.split()[0]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
