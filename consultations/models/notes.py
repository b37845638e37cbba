"""Internal notes staff add to a request."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from consultations.models.requests import ConsultationRequest


class InternalNote(models.Model):
    consultation = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        # New York time, with the zone (EST/EDT), like every time staff see.
        return f"Note by {self.author or 'someone'} at {timezone.localtime(self.created_at):%b %-d, %Y, %-I:%M %p %Z}"
