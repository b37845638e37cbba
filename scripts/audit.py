"""`make audit`: Lighthouse 12 (mobile preset) in Debian Chromium against the site under gunicorn.

First the Nu Html Checker reads every public page of both languages (scripts/html_check.py): any error fails
the audit. Then it prints the four category scores, bytes transferred and request count for the home page, an article
and the consultation form, in English and on the Spanish site (/es/), and keeps the full reports in
var/audit/. Not part of `make test`.
"""

import json
import os
import subprocess
import sys

from scripts.bench import BASE_DIR, find_article_path, production_env
from scripts.html_check import check_html
from scripts.processes import free_port, start_gunicorn, stop

OUT_DIR = BASE_DIR / "var" / "audit"
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse(url: str, name: str) -> dict:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    report_path = OUT_DIR / f"{name}.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        check=True,
        timeout=180,
    )
    report = json.loads(report_path.read_text())
    audits = report["audits"]
    return {
        "url": url,
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "transfer_bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "below_full_marks": [
            audit["title"]
            for audit in audits.values()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") in {"binary", "numeric"}
        ],
    }


def main() -> int:
    env = production_env("on")
    pages = {
        "home": "/",
        "article": find_article_path(env),
        "consultation": "/consultation/",
        "es-home": "/es/",
        "es-article": find_article_path(env, "es"),
        "es-consulta": "/es/consulta/",
    }
    port = free_port()
    process = start_gunicorn(env, port)
    results = {}
    try:
        html_errors = check_html(f"http://127.0.0.1:{port}")
        for error in html_errors:
            print(f"  invalid HTML: {error}")
        for name, path in pages.items():
            if not path:
                print(f"audit: skipped {name}: no such page yet")
                continue
            try:
                results[name] = lighthouse(f"http://127.0.0.1:{port}{path}", name)
            except subprocess.CalledProcessError:
                print(f"audit: Lighthouse could not audit {name} ({path}); see its output above")
    finally:
        stop(process)
    (OUT_DIR / "summary.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'page':<14}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'bytes':>9}{'reqs':>6}")
    for name, row in results.items():
        scores = row["scores"]
        print(
            f"{name:<14}{scores['performance']:>6}{scores['accessibility']:>6}{scores['best-practices']:>6}"
            f"{scores['seo']:>6}{row['transfer_bytes']:>9}{row['requests']:>6}"
        )
        if row["below_full_marks"]:
            print(f"  below full marks: {'; '.join(row['below_full_marks'])}")
    print(f"full reports in {OUT_DIR}")
    return 1 if html_errors else 0


if __name__ == "__main__":
    sys.exit(main())
