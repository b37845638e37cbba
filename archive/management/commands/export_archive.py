from datetime import date
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive.export import export_zip


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2026-12-31.") from None


class Command(BaseCommand):
    help = (
        "Write the advertising archive's captures from --since (to --until, inclusive; New York dates) into a "
        "zip with manifest.json, each run's manifest and the HTML pages, readable offline, and write OUT.sha256 "
        "beside it (sha256sum format: the digests of manifest.json and of each run's manifest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The zip file to write, e.g. archive-2026.zip")
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: today)")

    def handle(self, *args, out, since, until=None, **options):
        since_day, until_day = iso_date(since), (iso_date(until) if until else None)
        if until_day and until_day < since_day:
            raise CommandError("--until is before --since.")
        path = Path(out)
        if path.suffix.lower() != ".zip":
            raise CommandError("The output file name must end in .zip.")
        with path.open("wb") as handle:
            manifest = export_zip(handle, since=since_day, until=until_day)
        sidecar = path.with_name(path.name + ".sha256")
        sidecar.write_text("".join(f"{digest}  {name}\n" for name, digest in manifest["digests"].items()))
        self.stdout.write(
            f"Wrote {path}: {len(manifest['captures'])} page copies from {len(manifest['runs'])} captures; "
            f"open index.html or read manifest.json. Digests in {sidecar} (check with `sha256sum -c` in the "
            "unzipped folder)."
        )
        self.stdout.write(f"manifest.json sha256: {manifest['digests']['manifest.json']}")
        altered = []
        for run in manifest["runs"]:
            pages = len(run["pages"])
            recorded = run["recorded_manifest_sha256"]
            if not recorded:
                check = "no digest recorded (captured before digests were kept)"
            elif recorded == run["manifest_sha256"]:
                check = "matches the run's record"
            else:
                check = f"DOES NOT MATCH the run's record {recorded}"
                altered.append(str(run["run"]))
            self.stdout.write(
                f"  run {run['run']} {run['started_at']} {run['status']}: {pages} pages, "
                f"{run['manifest_file']} sha256 {run['manifest_sha256']} {check}"
            )
            if options["verbosity"] >= 2:
                for page in run["pages"]:
                    self.stdout.write(f"    {page['url']}  {page['sha256']}")
        if altered:
            raise CommandError(
                f"The stored pages of run(s) {', '.join(altered)} differ from what was captured."
            )
