"""The kinds of email the site sends, each registered by the app that sends it.

An app calls ``register()`` from its AppConfig.ready() for every kind it sends (consultations/emails.py,
articles/emails.py, ...). A kind says how to build the message *when it is sent*, from the row and what it
links to, so the stored row holds no narrative and a retry sends current facts. The outbox itself knows no
kind but its own failure alert (outbox/alerts.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

MAX_NAME_LENGTH = 40  # OutboundEmail.kind


@dataclass
class Draft:
    """What a kind's builder returns: recipients, subject, and the templates (``<template>.txt`` and
    ``<template>.html``) with their context, rendered in ``language``."""

    to: list[str]
    subject: str
    template: str
    context: dict
    reply_to: list[str] = field(default_factory=list)
    language: str = "en"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    build: Callable[..., Draft]
    # One line naming what a failed email was about, for the failure alert (never a narrative or an address),
    # e.g. "Request C-000123". Called with the row.
    describe: Callable[..., str] | None = None
    # A sentence the failure alert adds, e.g. that the request itself is stored safely.
    alert_note: str = ""


_KINDS: dict[str, Kind] = {}


def register(
    name: str,
    *,
    label: str,
    build: Callable[..., Draft],
    describe: Callable[..., str] | None = None,
    alert_note: str = "",
) -> str:
    """Declare a kind of email; returns its name (to store in OutboundEmail.kind)."""
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ImproperlyConfigured(f"outbox kind {name!r}: 1 to {MAX_NAME_LENGTH} characters")
    kind = Kind(name=name, label=label, build=build, describe=describe, alert_note=alert_note)
    known = _KINDS.get(name)
    if known is not None and known.build is not build:
        raise ImproperlyConfigured(f"outbox kind {name!r} is registered twice")
    _KINDS[name] = kind
    return name


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def label(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name


def choices() -> list[tuple[str, str]]:
    return sorted(((kind.name, kind.label) for kind in _KINDS.values()), key=lambda choice: choice[1])
