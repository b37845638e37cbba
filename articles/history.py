"""The admin's article history (django-simple-history) in words a person reads.

simple_history shows an empty link as "Deleted person (pk=None)", an empty value as "None" and times in
UTC; ``ReadableHistoryAdmin`` shows "(empty)", yes/no and New York times, and shortens long text. The
list template (templates/simple_history/object_history_list.html) shows the time with its zone and a
dash for a missing user or change reason.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

LONGEST = 120


def readable_value(value) -> str:
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "(empty)"
        return f"a deleted {value.model._meta.verbose_name} (#{value.pk})"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "M j, Y, g:i a T")
    if isinstance(value, date):
        return date_format(value, "M j, Y")
    if isinstance(value, list):
        return ", ".join(readable_value(item) for item in value) or "(empty)"
    text = " ".join(str(value).split())
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        return readable_value(super().prepare_delta_change_value(change, value))


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)
