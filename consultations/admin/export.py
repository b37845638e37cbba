"""The intake export: the selected requests as CSV or as an Excel workbook (.xlsx), with the same columns.

Both carry what intake triages by (urgency, the next estimated deadline and its rule, assignee, status, how many
notes) and never the description. Every text cell goes through the same guard against formulas (csv_cell). The
workbook has real date cells, in New York time like every time staff see.
"""

import csv
import io
from datetime import date, datetime

from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from consultations import deadlines
from consultations.admin.assignees import person_name
from consultations.admin.display import csv_cell
from consultations.models import ConsultationRequest

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (title, how to read it from a request annotated by export_rows, width in the workbook)
COLUMNS = [
    ("Request", lambda c: c.number, 11),
    ("Received", lambda c: c.received_at, 17),
    ("Status", lambda c: c.get_status_display(), 16),
    ("Assignee", lambda c: person_name(c.assignee) if c.assignee else "", 18),
    ("Name", lambda c: c.name, 24),
    ("Phone", lambda c: c.phone, 18),
    ("Email", lambda c: c.email, 26),
    ("Urgency", lambda c: c.export_urgency, 40),
    ("Next deadline (est.)", lambda c: c.next_deadline, 13),
    ("Its rule", lambda c: c.export_rule, 26),
    ("Notes", lambda c: c.note_count, 7),
    ("Contact by", lambda c: c.get_contact_method_display(), 14),
    ("Best time", lambda c: c.get_best_time_display(), 22),
    ("Practice area", lambda c: c.practice_area_label, 22),
    ("Incident date", lambda c: c.incident_date, 13),
    ("What happened", lambda c: c.get_what_display(), 22),
    ("Who may be responsible", lambda c: c.get_who_display(), 22),
    ("Flags", lambda c: c.flags, 30),
    ("Source article", lambda c: c.source_article_slug, 24),
]
TITLES = [title for title, _, _ in COLUMNS]


def export_rows(queryset):
    """The selected requests, oldest first, each with its urgency in words, the name of its next deadline's
    rule and its note count; the narrative is not even loaded."""
    rules = deadlines.intake_rules()
    names = {rule.key: rule.words("name") for rule in rules}
    rows = (
        ConsultationRequest.objects.filter(pk__in=queryset.values("pk"))
        .select_related("assignee")
        .defer("what_happened", "other_parties", "user_agent")
        .annotate(note_count=Count("notes"))
        .with_urgency(rules=rules)
        .order_by("received_at", "pk")
    )
    for consultation in rows:
        consultation.export_urgency = consultation.urgency(rules=rules).text
        consultation.export_rule = names.get(consultation.next_rule, "")
        yield consultation


def _filename(extension: str) -> str:
    return f"consultations-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download(content, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(queryset) -> HttpResponse:
    """Times as ISO 8601 with the New York offset (2026-12-01T23:15:00-05:00)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TITLES)
    for consultation in export_rows(queryset):
        writer.writerow([csv_cell(read(consultation)) for _, read, _ in COLUMNS])
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", "csv")


def xlsx_value(value):
    """A workbook cell's value: dates and New York times as real date cells, numbers as numbers, text
    through the CSV's formula guard and always stored as text."""
    if isinstance(value, datetime):
        # Excel has no time zones: the New York wall-clock time, as the column title says.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, (date, int)) and not isinstance(value, bool):
        return value
    return csv_cell(value)


def xlsx_response(queryset) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Requests"
    titles = [f"{title} (New York time)" if title == "Received" else title for title in TITLES]
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for column, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    for row_number, consultation in enumerate(export_rows(queryset), start=2):
        for column, (_, read, _) in enumerate(COLUMNS, start=1):
            value = xlsx_value(read(consultation))
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(buffer.getvalue(), XLSX_TYPE, "xlsx")
