from datetime import date
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from articles.archive import export_zip


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2026-12-31.") from None


class Command(BaseCommand):
    help = (
        "Write the advertising archive's captures from --since (to --until, inclusive; New York dates) into a "
        "zip with manifest.json and the HTML pages, readable offline."
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
        self.stdout.write(
            f"Wrote {path}: {len(manifest['captures'])} page copies from {len(manifest['runs'])} captures; "
            "open index.html or read manifest.json."
        )
