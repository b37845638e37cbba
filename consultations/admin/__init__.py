"""The consultations app's admin, one module per concern; importing this package registers every model."""

from consultations.admin.display import csv_cell, local_time, tel_href
from consultations.admin.requests import ConsultationRequestAdmin

__all__ = ["ConsultationRequestAdmin", "csv_cell", "local_time", "tel_href"]
