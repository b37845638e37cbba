"""The models of consultations/, one module per concern; every model is importable from here."""

from consultations.models.digest import DigestRun
from consultations.models.notes import InternalNote
from consultations.models.requests import (
    OTHER_PRACTICE_AREA,
    ConsultationRequest,
    ConsultationRequestQuerySet,
)

__all__ = [
    "OTHER_PRACTICE_AREA",
    "ConsultationRequest",
    "ConsultationRequestQuerySet",
    "DigestRun",
    "InternalNote",
]
