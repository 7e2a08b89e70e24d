#!/usr/bin/env python
"""`make bench`: build province-scale SQLite databases, measure, print ONE table of ratios, write latest.json.

Everything is measured in the same run on the same data; absolute times vary between machines, the ratios are
what we track. Steps:

1. Migrate one empty SQLite database under var/bench/, copy it twice and generate scale 0.1 ("1×") and scale 1
   ("10×" rows, the province) into the copies (bench/generate.py).
2. Key pages, each requested with the Django test client as the Sở Nội vụ admin: SQL queries at 1× and 10× rows
   (must be equal), median and p95 server time over K requests at 10×, divided by the stock Django admin page of
   the same model on the same data (the changelist, or the change page for a detail page).
3. The final-review report (tổng kết) at scale 1: context + HTML + WeasyPrint PDF wall time, divided by Chromium
   printing the very same HTML (Playwright, /usr/bin/chromium) and by a naive single-document WeasyPrint render.
4. Import of 15,000 people from .xlsx (units.excel.people_import), divided by openpyxl + bulk_create of the
   same file (both rolled back).
5. Throughput of 50 concurrent clients against gunicorn on 127.0.0.1 (a free port, bounded in time and requests,
   stopped at the end) over a mix of the key pages, divided by the throughput of the trivial health-check view
   (`/healthz/`: one `SELECT 1`); responses other than 2xx/3xx are counted.

Options: --quick (smaller K, shorter load), --reuse (keep the generated databases of an earlier run), --scale
0.3/1/3 (the province size measured; 1× is a tenth of it), --pdf-processes 1,2,4 (the final-review PDF laid out cold
once per REPORT_PDF_PROCESSES value; wall and CPU seconds, the render processes' included, for each). The run
exits with status 1 when a goal of GOALS is missed (pages ≤ 0.5× their admin peer, import ≤ 2× openpyxl +
bulk_create, final PDF ≤ 2× Chromium, load ≥ 0.7 of the limit the single-request page times set), a query count
grows with the data, or a response is an error.
The script runs each measuring step in a child process (`run.py --child ...`) with its own database settings.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
SEED = 584
SCALES = {"small": 0.1, "big": 1.0}  # `--scale N` measures at N ("10×") with N/10 ("1×") for the query counts
SCALE_CHOICES = (0.3, 1.0, 3.0)
# The goals of issue 18; a missed goal makes the bench exit with status 1 (after printing the table).
GOALS = {
    "page": 0.5,  # a key page's median ÷ its stock admin peer's, at most
    "import": 2.0,  # the people import ÷ openpyxl read + bulk_create of the same file, at most
    "report": 2.0,  # the final-review PDF cold ÷ Chromium printing the same HTML, at most
    "load": 0.7,  # throughput ÷ (cores ÷ mean single-request page time), at least
}
# Pages that keep pieces under the data version: also timed on the first request after a write (rows "sau một lần
# ghi", no goal of their own: on a day of many writes this is what their readers wait for).
AFTER_WRITE_PAGES = ("monitoring", "dashboard", "home")
HOST = "127.0.0.1"  # the load never targets anything else


def child_env(db_path):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DATABASE_URL": str(db_path) if str(db_path).startswith("postgres") else f"sqlite:///{db_path}",
        "VAR_DIR": str(WORK),
        "PRIVATE_MEDIA_ROOT": str(WORK / "private"),
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        "STATIC_ROOT": str(WORK / "static"),
    })
    env.pop("PRIVATE_STORAGE_OPTIONS", None)
    env.pop("PRIVATE_STORAGE_BACKEND", None)
    return env


def run_child(db_path, *args, timeout=3600):
    out = WORK / f"child-{args[0]}-{Path(db_path).stem}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args, "--out", str(out)]
    subprocess.run(command, env=child_env(db_path), cwd=ROOT, check=True, timeout=timeout)
    return json.loads(out.read_text())


def say(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Orchestration ------------------------------------------------------------------------------------------------


def build_databases(reuse, postgres=""):
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "static").mkdir(exist_ok=True)
    if postgres:
        return build_postgres_databases(reuse, postgres)
    paths = {tag: WORK / f"scale-{scale:g}.sqlite3" for tag, scale in SCALES.items()}
    counts_file = WORK / ("counts.json" if SCALES["big"] == 1.0 else f"counts-{SCALES['big']:g}.json")
    if reuse and all(p.exists() for p in paths.values()) and counts_file.exists():
        say("reusing the generated databases in var/bench/ (migrating them to the current models)")
        for path in paths.values():
            migrate(path)
        return paths, json.loads(counts_file.read_text())
    template = WORK / "empty.sqlite3"
    for path in [template, *paths.values()]:
        path.unlink(missing_ok=True)
    say("migrating an empty database")
    migrate(template)
    counts = {}
    for tag, scale in SCALES.items():
        shutil.copyfile(template, paths[tag])
        say(f"generating scale {scale:g} (seed {SEED})")
        counts[tag] = run_child(paths[tag], "generate", "--scale", str(scale))
    counts_file.write_text(json.dumps(counts))
    return paths, counts


def migrate(database):
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=child_env(database),
                   cwd=ROOT, check=True, stderr=subprocess.DEVNULL)


def build_postgres_databases(reuse, server):
    """Databases bench_small and bench_big on a local PostgreSQL server (dropped and created again)."""
    import urllib.parse

    import psycopg

    parts = urllib.parse.urlsplit(server)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--postgres: only a PostgreSQL server on this machine (127.0.0.1) is accepted.")
    base = server.rstrip("/").rsplit("/", 1)[0] if parts.path.strip("/") else server.rstrip("/")
    suffix = "" if SCALES["big"] == 1.0 else f"_{SCALES['big']:g}".replace(".", "_")
    paths = {tag: f"{base}/bench_{tag}{suffix}" for tag in SCALES}
    counts_file = WORK / f"counts-postgres{suffix}.json"
    if reuse and counts_file.exists():
        say("reusing the generated PostgreSQL databases bench_small, bench_big (migrating them)")
        for path in paths.values():
            migrate(path)
        return paths, json.loads(counts_file.read_text())
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        for tag in SCALES:
            connection.execute(f'DROP DATABASE IF EXISTS "bench_{tag}{suffix}"')
            connection.execute(f'CREATE DATABASE "bench_{tag}{suffix}"')
    counts = {}
    for tag, scale in SCALES.items():
        say(f"migrating and generating scale {scale:g} (seed {SEED}) in bench_{tag}{suffix}")
        migrate(paths[tag])
        counts[tag] = run_child(paths[tag], "generate", "--scale", str(scale))
    counts_file.write_text(json.dumps(counts))
    return paths, counts


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(db_path, *, workers=2, threads=4, max_seconds=600):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
               "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"]
    # `timeout` bounds the server's life even if this script dies: it stops by itself.
    if shutil.which("timeout"):
        command = ["timeout", "--signal=TERM", str(max_seconds), *command]
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop_gunicorn
    process = subprocess.Popen(command, env=child_env(db_path), cwd=ROOT, stdout=log, stderr=log)
    process.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/dang-nhap/")
            conn.getresponse().read()
            conn.close()
            return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped; see var/bench/gunicorn.log") from None
            time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 s; see var/bench/gunicorn.log")


def stop_gunicorn(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


def load(port, paths, *, cookie="", seconds=10.0, clients=50, max_requests=50000):
    """`clients` threads GET `paths` round-robin for `seconds` (or `max_requests`); returns throughput and codes."""
    deadline = time.monotonic() + seconds
    # Throughput counts answers in the last three quarters of the run: the first quarter warms up (every client
    # has a request in flight), and requests still running at the deadline are not counted.
    window_start = deadline - seconds * 0.75
    lock = threading.Lock()
    statuses = Counter()
    latencies = []
    done = [0]
    in_window = [0]  # requests answered before the deadline: the throughput is counted over the window only

    def client(number):
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        position = number
        while time.monotonic() < deadline:
            with lock:
                if done[0] >= max_requests:
                    break
                done[0] += 1
            path = paths[position % len(paths)]
            position += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] += 1
                latencies.append(elapsed)
                if window_start <= time.monotonic() <= deadline:
                    in_window[0] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    bad = sum(count for status, count in statuses.items() if not (isinstance(status, int) and 200 <= status < 400))
    return {"requests": total, "seconds": round(elapsed, 2), "per_second": round(in_window[0] / (seconds * 0.75), 1),
            "answered_in_window": in_window[0],
            "bad": bad, "statuses": {str(k): v for k, v in statuses.items()},
            "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None}


def ratio(value, base):
    if value is None or not base:
        return None
    return round(value / base, 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, shorter load")
    parser.add_argument("--reuse", action="store_true", help="reuse var/bench databases of an earlier run")
    parser.add_argument("--skip", default="", help="comma list of steps to skip: pages,report,import,load")
    parser.add_argument("--postgres", default="", metavar="URL",
                        help="measure on a local PostgreSQL server instead (e.g. postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--scale", type=float, default=1.0, choices=SCALE_CHOICES,
                        help="the province scale measured (10×); query counts are compared with a tenth of it (1×)")
    parser.add_argument("--pdf-processes", default="", metavar="N,N",
                        help="render the final-review PDF cold once per REPORT_PDF_PROCESSES value (e.g. 1,2,4); "
                             "the first is the one compared with Chromium (default: the setting)")
    options = parser.parse_args(argv)
    SCALES.update({"small": round(options.scale / 10, 3), "big": options.scale})
    skip = set(filter(None, options.skip.split(",")))
    k = 8 if options.quick else 25
    load_seconds = 10 if options.quick else 20
    started = time.monotonic()
    paths, counts = build_databases(options.reuse, options.postgres)
    result = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seed": SEED, "scales": SCALES,
              "database": "postgresql" if options.postgres else "sqlite",
              "counts": counts, "k": k, "rows": [], "notes": [
                  "Tỷ lệ trang = trung vị thời gian trang / trung vị trang admin Django cùng model, cùng dữ liệu.",
                  "Thông lượng: mốc là view tầm thường /healthz/ (một truy vấn SELECT 1); "
                  "gunicorn gthread 2 worker × 4 luồng, client cùng máy."]}
    rows = result["rows"]

    pages = {}
    if "pages" not in skip:
        say(f"measuring key pages at 1× (scale {SCALES['small']:g}) for query counts")
        small = run_child(paths["small"], "pages", "--k", "0")
        say(f"measuring key pages at 10× (scale {SCALES['big']:g}), K={k}")
        big = run_child(paths["big"], "pages", "--k", str(k))
        pages = big
        for key, page in big["pages"].items():
            small_page = small["pages"].get(key, {})
            admin = page.get("baseline") or {}
            rows.append({
                "measure": page["label"], "kind": "page", "url": page.get("url"),
                "queries_1x": small_page.get("queries"), "queries_10x": page.get("queries"),
                "queries_equal": small_page.get("queries") == page.get("queries"),
                "median_ms": page.get("median_ms"), "p95_ms": page.get("p95_ms"), "status": page.get("status"),
                "baseline": admin.get("label"), "baseline_median_ms": admin.get("median_ms"),
                "baseline_queries_10x": admin.get("queries"),
                "ratio": ratio(page.get("median_ms"), admin.get("median_ms")), "error": page.get("error"),
            })
        for page in big.get("after_write", {}).values():
            admin = page["baseline"]
            rows.append({
                "measure": f"{page['label']}, ngay sau một lần ghi", "kind": "page-after-write",
                "url": page.get("url"), "median_ms": page.get("median_ms"), "p95_ms": page.get("p95_ms"),
                "baseline": admin.get("label"), "baseline_median_ms": admin.get("median_ms"),
                "ratio": ratio(page.get("median_ms"), admin.get("median_ms")),
            })
        result["notes"].extend(big.get("notes", []))

    if "report" not in skip:
        say(f"final-review PDF at scale {SCALES['big']:g}")
        report = run_child(paths["big"], "report", "--pdf-processes", options.pdf_processes)
        if report.get("skipped"):
            result["notes"].append(report["skipped"])
        else:
            engine_label = "Chromium" if report.get("engine") == "chromium" else "WeasyPrint"
            result["notes"].append(
                f"Báo cáo tổng kết: {report['html_bytes']:,} byte HTML, {report.get('pages') or '?'} trang PDF "
                f"(Chromium: {report.get('chromium_pages') or '?'} trang); dựng dữ liệu {report['context_ms']:,.0f} "
                f"ms, HTML {report['html_ms']:,.0f} ms, PDF {report['weasyprint_ms']:,.0f} ms.")
            rows.append({"measure": f"Báo cáo tổng kết PDF (context+HTML+{engine_label})", "kind": "report",
                         "median_ms": report["product_ms"], "baseline": "Chromium in cùng HTML",
                         "baseline_median_ms": report["chromium_ms"],
                         "ratio": ratio(report["product_ms"], report["chromium_ms"]), "detail": report})
            rows.append({"measure": f"Báo cáo tổng kết PDF (context+HTML+{engine_label})", "kind": "report",
                         "median_ms": report["product_ms"], "baseline": "WeasyPrint đơn giản cùng HTML",
                         "baseline_median_ms": report["naive_weasyprint_ms"],
                         "ratio": ratio(report["product_ms"], report["naive_weasyprint_ms"])})
            rows.append({"measure": f"Báo cáo tổng kết PDF (context+HTML+{engine_label})", "kind": "report",
                         "median_ms": report["product_ms"],
                         "baseline": "WeasyPrint đơn giản, bảng tự co giãn (bỏ độ rộng khai báo)",
                         "baseline_median_ms": report["naive_auto_layout_ms"],
                         "ratio": ratio(report["product_ms"], report["naive_auto_layout_ms"])})
            rows.append({"measure": "Tạo lại báo cáo tổng kết sau khi sửa phần nhận định (phụ lục không đổi)",
                         "kind": "report", "median_ms": report["regenerate_ms"],
                         "baseline": "WeasyPrint đơn giản cùng HTML",
                         "baseline_median_ms": report["naive_weasyprint_ms"],
                         "ratio": ratio(report["regenerate_ms"], report["naive_weasyprint_ms"])})
            rows.append({"measure": "Báo cáo tổng kết PDF, giây CPU (tiến trình + tiến trình con dựng PDF)",
                         "kind": "report", "median_ms": report["product_cpu_s"] * 1000,
                         "baseline": "CPU: Chromium in cùng HTML (cả cây tiến trình)",
                         "baseline_median_ms": report["chromium_cpu_s"] * 1000,
                         "ratio": ratio(report["product_cpu_s"], report["chromium_cpu_s"])})
            for run in report["by_processes"]:
                result["notes"].append(
                    f"Bước PDF lạnh, {run.get('engine', 'weasyprint')}, REPORT_PDF_PROCESSES={run['processes']}: "
                    f"{run['wall_ms']:,.0f} ms, "
                    f"{run['cpu_s']:.1f} s CPU (Chromium {report['chromium_ms']:,.0f} ms, "
                    f"{report['chromium_cpu_s']:.1f} s CPU); tải máy {run['load']:.1f}.")
            parts = ", ".join(f"{part['seconds']:.1f} s trong {part.get('pieces', 1)} tài liệu "
                              f"({part['cpu_seconds']:.1f} s CPU)" for part in report["parts"])
            result["notes"].append(
                f"Các phần của báo cáo (thân, PL I, PL II, PL III; thời gian cộng dồn của các tài liệu): {parts}; "
                f"{report['processes']} tiến trình song song trên máy {report['cpu_count']} lõi; bộ dựng "
                f"{report.get('engine', 'weasyprint')}.")

    if "import" not in skip:
        say("importing 15,000 people from .xlsx (rolled back)")
        imported = run_child(paths["big"], "import")
        rows.append({"measure": f"Nhập {imported['rows']:,} cá nhân từ .xlsx (people_import)", "kind": "import",
                     "median_ms": imported["product_ms"], "baseline": "openpyxl + bulk_create cùng tệp",
                     "baseline_median_ms": imported["baseline_ms"],
                     "ratio": ratio(imported["product_ms"], imported["baseline_ms"]), "detail": imported})

    if "load" not in skip and not pages:
        pages = run_child(paths["big"], "pages", "--k", "0")  # the URLs and a session, without timing
    if "load" not in skip:
        say(f"gunicorn on {HOST}: 50 clients, {load_seconds} s per phase")
        process, port = start_gunicorn(paths["big"], max_seconds=int(load_seconds * 2 + 120))
        try:
            mix = [page["url"] for page in pages["pages"].values() if page.get("status") == 200]
            trivial = load(port, ["/healthz/"], seconds=load_seconds)
            heavy = load(port, mix, cookie=pages["session_cookie"], seconds=load_seconds)
        finally:
            stop_gunicorn(process)
        rows.append({"measure": f"Thông lượng 50 client, {len(mix)} trang chính (req/s)", "kind": "load",
                     "value": heavy["per_second"], "baseline": "/healthz/ (view tầm thường), 50 client",
                     "baseline_value": trivial["per_second"], "ratio": ratio(heavy["per_second"],
                                                                              trivial["per_second"]),
                     "non_2xx_3xx": heavy["bad"] + trivial["bad"], "detail": {"mix": heavy, "health": trivial}})
        # The limit the pages' own single-request times set: each core serves 1 ÷ (mean page time) requests a
        # second. Only known when the pages were timed in this run.
        timed = [page["median_ms"] for page in pages["pages"].values()
                 if page.get("status") == 200 and page.get("median_ms")]
        if timed:
            cores = os.cpu_count() or 1
            limit = cores / (statistics.mean(timed) / 1000)
            rows.append({"measure": "Thông lượng ÷ giới hạn theo thời gian một yêu cầu (số lõi ÷ thời gian trang TB)",
                         "kind": "load-limit", "value": heavy["per_second"], "baseline": f"{cores} lõi ÷ "
                         f"{statistics.mean(timed):.0f} ms", "baseline_value": round(limit, 1),
                         "ratio": ratio(heavy["per_second"], limit), "non_2xx_3xx": heavy["bad"] + trivial["bad"]})

    result["seconds"] = round(time.monotonic() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print_table(result)
    problems = [row["measure"] for row in rows if row["kind"] == "page" and (row["error"] or not row["queries_equal"])]
    problems += [row["measure"] for row in rows if row["kind"] == "load" and row["non_2xx_3xx"]]
    missed = missed_goals(rows)
    result["missed_goals"] = missed
    (RESULTS / "latest.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if problems:
        print("CẦN XEM LẠI (số truy vấn tăng theo dữ liệu, trang lỗi hoặc phản hồi lỗi): " + "; ".join(problems))
    if missed:
        print("CHƯA ĐẠT MỤC TIÊU: " + "; ".join(missed))
    return 1 if problems or missed else 0


def missed_goals(rows):
    """The rows whose ratio misses its goal (GOALS), each as "measure: ratio (goal)"."""
    missed = []
    for row in rows:
        value, kind = row.get("ratio"), row["kind"]
        if value is None:
            continue
        if kind == "page" and value > GOALS["page"]:
            missed.append(f"{row['measure']}: {value} (≤ {GOALS['page']})")
        elif kind == "import" and value > GOALS["import"]:
            missed.append(f"{row['measure']}: {value} (≤ {GOALS['import']})")
        elif kind == "report" and row["baseline"].startswith("Chromium") and value > GOALS["report"]:
            missed.append(f"{row['measure']}: {value} (≤ {GOALS['report']} × Chromium)")
        elif kind == "load-limit" and value < GOALS["load"]:
            missed.append(f"{row['measure']}: {value} (≥ {GOALS['load']})")
    return missed


def _fmt(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(result):
    counts = result["counts"].get("big", {})
    print()
    print(f"Benchmark {result['generated_at']} · {result.get('database', 'sqlite')} · seed {result['seed']} · "
          f"10× = scale {result['scales']['big']:g} "
          f"({counts.get('units', '?')} đơn vị, {counts.get('people', '?')} cá nhân, "
          f"{counts.get('evidence', '?')} minh chứng, {counts.get('dossiers', '?')} hồ sơ), "
          f"1× = scale {result['scales']['small']:g} · "
          f"K={result['k']} · {result['seconds']} s")
    header = ["Đo", "SQL 1×/10×", "Trung vị ms", "p95 ms", "So với", "Mốc ms", "Tỷ lệ"]
    lines = []
    for row in result["rows"]:
        if row["kind"] == "page":
            queries = f"{_fmt(row['queries_1x'])}/{_fmt(row['queries_10x'])}" + (
                "" if row["queries_equal"] else " ≠!")
            if row.get("error"):
                queries += f" LỖI {row['error']}"
            lines.append([row["measure"], queries, _fmt(row["median_ms"]), _fmt(row["p95_ms"]),
                          row["baseline"] or "—", _fmt(row["baseline_median_ms"]), _fmt(row["ratio"], 2)])
        elif row["kind"] == "page-after-write":
            lines.append([row["measure"], "—", _fmt(row["median_ms"]), _fmt(row["p95_ms"]),
                          row["baseline"] or "—", _fmt(row["baseline_median_ms"]), _fmt(row["ratio"], 2)])
        elif row["kind"] in ("load", "load-limit"):
            lines.append([row["measure"], "—", f"{_fmt(row['value'])} req/s", "—", row["baseline"],
                          f"{_fmt(row['baseline_value'])} req/s",
                          f"{_fmt(row['ratio'], 2)} (lỗi: {row['non_2xx_3xx']})"])
        else:
            lines.append([row["measure"], "—", _fmt(row["median_ms"]), "—", row["baseline"],
                          _fmt(row["baseline_median_ms"]), _fmt(row["ratio"], 2)])
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
    for note in result["notes"]:
        print(f"* {note}")
    print(f"(JSON: {RESULTS / 'latest.json'})")


# Children (run inside Django) ---------------------------------------------------------------------------------


def child(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--pdf-processes", default="")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    handler = {"generate": child_generate, "pages": child_pages, "report": child_report,
               "import": child_import}[options.child]
    data = handler(options)
    Path(options.out).write_text(json.dumps(data, ensure_ascii=False, default=str))


def child_generate(options):
    from django.db import connection

    from bench.generate import generate

    counts = generate(scale=options.scale, seed=SEED, stdout=sys.stdout)
    # What a running server's autovacuum does after bulk inserts (PostgreSQL 13+ vacuums insert-only tables too):
    # fresh statistics, without which the planner takes the just-filled tables for nearly empty ones, and the
    # visibility map, without which no index-only scan is possible. SQLite is left as a deployment has it (it never
    # analyses by itself).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


def _summary(times):
    if not times:
        return None, None
    times = sorted(times)
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return round(statistics.median(times), 1), round(p95, 1)


def _probe(client, url):
    """Warm the page up once, then count the SQL queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    except Exception as error:  # a broken page is reported in the table, not hidden
        return {"url": url, "error": f"{type(error).__name__}: {error}"[:200]}
    data = {"url": url, "status": response.status_code, "queries": len(queries), "bytes": len(response.content)}
    if first.status_code != 200 or response.status_code != 200:
        data["error"] = f"HTTP {response.status_code}"
    return data


def _measure_pair(client, page, baseline, k, *, after_write=False):
    """Time the page and its baseline alternately, so that a change in machine load hits both alike.

    `after_write`: each page request follows a write (an activity row, as every service leaves, rolled back after
    the request), so the page's cached pieces (core.versions) are never served: its cost on a busy day."""
    urls = [d["url"] for d in (page, baseline) if not d.get("error")]
    times = {url: [] for url in urls}
    for _ in range(k):
        for url in urls:
            with _write_first(after_write and url == page["url"]):
                started = time.perf_counter()
                client.get(url)
                times[url].append((time.perf_counter() - started) * 1000)
    for data in (page, baseline):
        if data["url"] in times:
            data["median_ms"], data["p95_ms"] = _summary(times[data["url"]])


@contextlib.contextmanager
def _write_first(write):
    """A block run after one activity row is written (when `write`), the row rolled back afterwards."""
    if not write:
        yield
        return
    from django.db import transaction

    from core.models import AuditEntry

    with transaction.atomic():
        AuditEntry.objects.create(action="bench.write", target_type="bench")
        yield
        transaction.set_rollback(True)


def _key_pages():
    """(key, label, url, baseline label, baseline url) of each key page that exists in this build."""
    from django.urls import NoReverseMatch, reverse

    from campaigns.models import Campaign
    from units.models import Person, Unit  # noqa: F401 - the admin baselines below are these models

    pages = []
    campaign = Campaign.objects.order_by("pk").first()
    pages.append(("units", "Cây đơn vị", reverse("units:list"), "admin Đơn vị (changelist)",
                  reverse("admin:units_unit_changelist")))
    pages.append(("people", "Danh sách cá nhân", reverse("units:people"), "admin Cá nhân (changelist)",
                  reverse("admin:units_person_changelist")))
    pages.append(("monitoring", "Theo dõi đăng ký thi đua", reverse("campaigns:monitoring", args=[campaign.pk]),
                  "admin Đăng ký thi đua (changelist)", reverse("admin:campaigns_registration_changelist")))
    pages.append(("achievements", "Danh sách thành tích", reverse("campaigns:achievement_list"),
                  "admin Thành tích (changelist)", reverse("bench_admin:campaigns_achievement_changelist")))
    pages.append(("review", "Hàng chờ xem xét thành tích", reverse("campaigns:review_queue"),
                  "admin Thành tích (changelist)", reverse("bench_admin:campaigns_achievement_changelist")))
    try:
        from awards.models import Dossier

        dossier = Dossier.objects.filter(state="under_appraisal").order_by("pk").first()
        pages.append(("dossiers", "Danh sách hồ sơ khen thưởng", reverse("awards:list"),
                      "admin Hồ sơ (changelist)", reverse("bench_admin:awards_dossier_changelist")))
        pages.append(("dossier", "Chi tiết hồ sơ khen thưởng", reverse("awards:detail", args=[dossier.pk]),
                      "admin Hồ sơ (change page)", reverse("bench_admin:awards_dossier_change", args=[dossier.pk])))
        pages.append(("history", "Lịch sử khen thưởng", reverse("awards:history"),
                      "admin Lịch sử khen thưởng (changelist)", reverse("admin:awards_commendationrecord_changelist")))
    except (ImportError, NoReverseMatch, AttributeError):
        pass
    try:
        from par.models import CriteriaSet, ScoreSheet

        sheet = ScoreSheet.objects.filter(status="under_appraisal").order_by("pk").first()
        pages.append(("appraisal", "Phiếu thẩm định CCHC", reverse("par:appraisal", args=[sheet.pk]),
                      "admin Phiếu chấm (change page)", reverse("bench_admin:par_scoresheet_change", args=[sheet.pk])))
        ranked = CriteriaSet.objects.filter(group="commune", published_at__isnull=False).order_by("-year").first()
        pages.append(("ranking", "Xếp hạng chỉ số CCHC", reverse("par:ranking", args=[ranked.pk]),
                      "admin Phiếu chấm (changelist)", reverse("bench_admin:par_scoresheet_changelist")))
    except (ImportError, NoReverseMatch, AttributeError):
        pass
    for name in ("reports:dashboard", "reports:index"):
        try:  # the dashboard aggregates dossiers above all: its baseline is the stock dossier changelist
            baseline = ("admin Hồ sơ (changelist)", reverse("bench_admin:awards_dossier_changelist"))
        except NoReverseMatch:
            baseline = ("admin trang chủ", reverse("admin:index"))
        try:
            pages.append(("dashboard", "Bảng điều khiển (dashboard)", reverse(name), *baseline))
            break
        except NoReverseMatch:
            continue
    pages.append(("home", "Trang chủ", reverse("home"), "admin trang chủ", reverse("admin:index")))
    return pages


def child_pages(options):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from units.models import User

    admin = User.objects.get(username="g.quantri")
    client = Client()
    client.force_login(admin)
    out = {"pages": {}, "after_write": {}, "notes": []}
    keys = set()
    for key, label, url, base_label, base_url in _key_pages():
        keys.add(key)
        page, baseline = _probe(client, url), _probe(client, base_url)
        _measure_pair(client, page, baseline, options.k)
        baseline["label"] = base_label
        out["pages"][key] = {"label": label, **page, "baseline": baseline}
    # After every page has been counted and timed: a write moves the version, and a page probed after it would
    # count the queries of pieces it otherwise finds cached (the frame's demo flag), at 10× and not at 1×.
    for key in AFTER_WRITE_PAGES if options.k else ():
        if key in out["pages"]:
            page = {name: value for name, value in out["pages"][key].items() if name != "baseline"}
            baseline = dict(out["pages"][key]["baseline"])
            _measure_pair(client, page, baseline, max(3, options.k // 2), after_write=True)
            out["after_write"][key] = {**page, "baseline": baseline}
    if "dashboard" not in keys:
        out["notes"].append("Chưa có trang dashboard (reports) khi đo: dòng dashboard bỏ trống.")
    session = SessionStore()
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    out["session_cookie"] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return out


def child_report(options):
    try:
        from reports.context import build_for
        from reports.render import render_html, render_pdf
    except ImportError as error:
        return {"skipped": f"Chưa đo báo cáo tổng kết: chưa có reports.context/render ({error})."}
    from django.conf import settings
    from weasyprint import HTML  # imported before timing: the first import costs about a second

    from campaigns.models import Campaign

    campaign = Campaign.objects.order_by("pk").first()
    counts = [int(value) for value in options.pdf_processes.split(",") if value.strip()]
    if counts:
        settings.REPORT_PDF_PROCESSES = counts[0]
    settings.REPORT_PART_CACHE_DIR = tempfile.mkdtemp(prefix="bench-report-parts-")  # cold: nothing cached
    # CPU as well as wall time: on a loaded machine the wall clock mostly measures the other work. The render
    # processes are forked children, reaped before render_pdf returns, so RUSAGE_CHILDREN holds their CPU.
    cpu_started = _cpu_seconds()
    started = time.perf_counter()
    context = build_for(campaign, "final")
    context_done = time.perf_counter()
    html = render_html(context)
    html_done, cpu_html_done = time.perf_counter(), _cpu_seconds()
    stats = {}
    pdf = render_pdf(html, stats=stats)
    product_ms = (time.perf_counter() - started) * 1000
    product_cpu = _cpu_seconds() - cpu_started
    weasyprint_ms = (time.perf_counter() - html_done) * 1000
    context_ms, html_ms = (context_done - started) * 1000, (html_done - context_done) * 1000
    # Per process count: the PDF step alone (the context and the HTML are built once).
    engine = stats.get("engine", "weasyprint")
    by_processes = [{"engine": engine, "processes": stats["processes"], "wall_ms": round(weasyprint_ms, 1),
                     "cpu_s": round(_cpu_seconds() - cpu_html_done, 2), "load": os.getloadavg()[0]}]
    cold_cache = settings.REPORT_PART_CACHE_DIR  # the regeneration below takes the appendices from it
    configured = settings.REPORT_PDF_ENGINE
    # The same HTML laid out cold again by WeasyPrint (the fallback engine) with each other number of processes.
    settings.REPORT_PDF_ENGINE = "weasyprint"
    for count in counts if engine != "weasyprint" else counts[1:]:
        settings.REPORT_PDF_PROCESSES = count
        settings.REPORT_PART_CACHE_DIR = tempfile.mkdtemp(prefix="bench-report-parts-")
        cpu_again, again = _cpu_seconds(), time.perf_counter()
        render_pdf(html)
        by_processes.append({"engine": "weasyprint", "processes": count,
                             "wall_ms": round((time.perf_counter() - again) * 1000, 1),
                             "cpu_s": round(_cpu_seconds() - cpu_again, 2), "load": os.getloadavg()[0]})
        shutil.rmtree(settings.REPORT_PART_CACHE_DIR, ignore_errors=True)
    settings.REPORT_PART_CACHE_DIR, settings.REPORT_PDF_ENGINE = cold_cache, configured
    if counts:
        settings.REPORT_PDF_PROCESSES = counts[0]

    # Regenerating after Sở Nội vụ rewrites a narrative paragraph: the body changes, the appendices do not.
    started = time.perf_counter()
    context = build_for(campaign, "final")
    context["slots"]["strengths"] = {**context["slots"]["strengths"],
                                     "text": ["Đoạn đánh giá viết lại trước khi tạo lại."]}
    regenerate_stats = {}
    render_pdf(render_html(context), stats=regenerate_stats)
    regenerate_ms = (time.perf_counter() - started) * 1000
    shutil.rmtree(settings.REPORT_PART_CACHE_DIR, ignore_errors=True)

    started = time.perf_counter()
    naive = HTML(string=html).write_pdf()
    naive_ms = (time.perf_counter() - started) * 1000
    # The same report without the declared column widths and fixed table layout (WeasyPrint's default tables).
    auto_html = re.sub(r"<colgroup>.*?</colgroup>", "", html.replace("table-layout: fixed;", ""), flags=re.S)
    started = time.perf_counter()
    HTML(string=auto_html).write_pdf()
    naive_auto_ms = (time.perf_counter() - started) * 1000
    from playwright.sync_api import sync_playwright

    from reports import chromium

    with sync_playwright() as playwright:
        launched = time.perf_counter()
        # The product's own browser and flags (reports.chromium), so the baseline differs only in how it prints.
        browser = playwright.chromium.launch(executable_path=chromium.executable(), args=chromium.args())
        page = browser.new_page()
        launch_ms = (time.perf_counter() - launched) * 1000
        chromium_cpu = _tree_cpu_seconds()
        started = time.perf_counter()
        page.set_content(html)
        chromium_pdf = page.pdf()
        chromium_ms = (time.perf_counter() - started) * 1000
        chromium_cpu = _tree_cpu_seconds() - chromium_cpu  # the driver and every Chromium process, still running
        browser.close()
    return {"pages": _pdf_pages(pdf), "chromium_pages": _pdf_pages(chromium_pdf),
            "product_ms": round(product_ms, 1), "context_ms": round(context_ms, 1),
            "html_ms": round(html_ms, 1), "weasyprint_ms": round(weasyprint_ms, 1),
            "naive_weasyprint_ms": round(naive_ms, 1), "chromium_ms": round(chromium_ms, 1),
            "chromium_launch_ms": round(launch_ms, 1), "html_bytes": len(html), "pdf_bytes": len(pdf),
            "naive_pdf_bytes": len(naive), "chromium_pdf_bytes": len(chromium_pdf),
            "naive_auto_layout_ms": round(naive_auto_ms, 1), "regenerate_ms": round(regenerate_ms, 1),
            "product_cpu_s": round(product_cpu, 2), "chromium_cpu_s": round(chromium_cpu, 2),
            "by_processes": by_processes, "load_average": os.getloadavg(),
            "parts": stats["parts"], "processes": stats["processes"], "cpu_count": os.cpu_count(), "engine": engine,
            "regenerate_parts": regenerate_stats["parts"]}


def _cpu_seconds():
    """User + system CPU of this process and of its reaped children (the PDF render processes)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tree_cpu_seconds():
    """User + system CPU of every running descendant of this process (Playwright's driver and Chromium), from
    /proc (Linux); 0 elsewhere."""
    parents = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append((int(entry), int(fields[11]) + int(fields[12])))
    ticks, stack = 0, [os.getpid()]
    while stack:
        for pid, used in parents.get(stack.pop(), ()):
            ticks += used
            stack.append(pid)
    return ticks / os.sysconf("SC_CLK_TCK")


def _pdf_pages(pdf):
    """The page count from poppler's pdfinfo (None when it is not installed)."""
    if not shutil.which("pdfinfo"):
        return None
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def child_import(options):
    import io
    import random

    from django.db import transaction
    from openpyxl import Workbook, load_workbook

    from bench.generate import GIVEN, MIDDLE, POSITIONS, SURNAMES
    from core.text import fold, nfc, normalize_code
    from units.excel import PEOPLE_HEADERS, people_import
    from units.models import Person, Unit

    rows = 15000
    rng = random.Random(SEED)
    codes = list(Unit.objects.order_by("code").values_list("code", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cá nhân")
    sheet.append(PEOPLE_HEADERS)
    for i in range(rows):
        gender = rng.choice(["male", "female"])
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        sheet.append(["", name, "Nam" if gender == "male" else "Nữ", rng.choice(POSITIONS),
                      codes[rng.randrange(len(codes))], f"NHAP-{i + 1:06d}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    with transaction.atomic():
        started = time.perf_counter()
        result = people_import(file=data, by=None)
        product_ms = (time.perf_counter() - started) * 1000
        created = Person.objects.filter(staff_code__startswith="NHAP-").count()
        transaction.set_rollback(True)
    if not result.ok or created != rows:
        raise RuntimeError(f"import failed: ok={result.ok} created={created} errors={result.errors[:5]}")

    with transaction.atomic():
        started = time.perf_counter()
        book = load_workbook(io.BytesIO(data), read_only=True)
        units = dict(Unit.objects.values_list("code", "pk"))
        people = []
        for _id, name, gender, position, unit, staff in book.worksheets[0].iter_rows(min_row=2, values_only=True):
            name = nfc(name)
            people.append(Person(full_name=name, gender="male" if gender == "Nam" else "female",
                                 position=nfc(position or ""), unit_id=units[normalize_code(unit)],
                                 staff_code=normalize_code(staff), search_name=fold(name)))
        Person.objects.bulk_create(people, batch_size=2000)
        baseline_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return {"rows": rows, "product_ms": round(product_ms, 1), "baseline_ms": round(baseline_ms, 1),
            "file_bytes": len(data), "new": result.new}


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[1:])
    else:
        sys.exit(main())
