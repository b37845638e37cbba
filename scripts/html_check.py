"""The Nu Html Checker (vnu-jar from npm, run with Java) on every public page of both languages.

The pages are every address in the sitemap (both languages: it lists the Spanish pages too), the consultation
form and its thanks page, a search with results and a 404, fetched from a running server. Used by `make audit`;
any error fails it.
"""

import re
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from scripts.bench import BASE_DIR

VNU = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXTRA_PATHS = (
    "/consultation/",
    "/consultation/thanks/",
    "/es/consulta/",
    "/es/consulta/gracias/",
    "/search/?q=malpractice",
    "/es/buscar/?q=negligencia",
    "/no-such-page/",
    "/es/no-existe/",
)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own loopback server)
            return response.read().decode()
    except urllib.error.HTTPError as error:  # the 404 page is checked too
        return error.read().decode()


def public_paths(base_url: str) -> list[str]:
    """Paths of every page in the sitemap (following a sitemap index), then the pages it does not list."""
    paths, queue, seen = [], ["/sitemap.xml"], set()
    while queue:
        xml = fetch(base_url + queue.pop())
        for loc in re.findall(r"<loc>([^<]+)</loc>", xml):
            parts = urlsplit(loc.replace("&amp;", "&"))
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith("/sitemap") and path not in seen:
                seen.add(path)
                queue.append(path)
            elif path not in paths:
                paths.append(path)
    return paths + [path for path in EXTRA_PATHS if path not in paths]


def check_html(base_url: str) -> list[str]:
    """vnu's errors (warnings are not counted), one line each, naming the page."""
    paths = public_paths(base_url)
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, path in enumerate(paths):
            file = Path(folder) / f"page{number:03d}.html"
            file.write_text(fetch(base_url + path))
            files[file.name] = path
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU),
                "--errors-only",
                "--format",
                "gnu",
                *sorted(map(str, Path(folder).iterdir())),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    errors = []
    for line in result.stderr.splitlines() + result.stdout.splitlines():
        name = next((n for n in files if n in line), None)
        errors.append(f"{files[name]}: {line.split(':', 3)[-1].strip()}" if name else line)
    print(f"html: the Nu Html Checker read {len(paths)} pages: {len(errors)} error(s)")
    return errors
