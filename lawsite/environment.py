"""Reading the environment for the settings (lawsite/settings/): typed values with defaults, and never an exit.

A variable that is set but blank counts as unset. A value that cannot be read (DJANGO_DEBUG=maybe,
CONSULTATION_RATE_LIMIT=five) gives its default and is written down in `problems`; settings keeps that list as
ENVIRONMENT_PROBLEMS and the system checks report it (lawsite/checks.py, lawsite.E062). So importing the
settings always succeeds, and build steps that run no checks (compilemessages, collectstatic) work without the
production secrets, while `manage.py check`, the server's start (lawsite/startup.py) and every command that
runs the checks refuse a bad environment with one line naming the variable.

Standard library only.
"""

import os
from collections.abc import Mapping
from datetime import time

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class Environment:
    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        """Note a value that cannot be used; the checks report it (once)."""
        if message not in self.problems:
            self.problems.append(message)

    def is_set(self, name: str) -> bool:
        return bool(self.environ.get(name, "").strip())

    def text(self, name: str, default: str = "") -> str:
        """The variable's value; unset and blank are the same (so a blank line in .env means "default")."""
        return self.environ.get(name, "").strip() or default

    def flag(self, name: str, default: bool | None = False) -> bool | None:
        value = self.text(name).lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        if value:
            self.problem(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")
        return default

    def number(self, name: str, default: int) -> int:
        value = self.text(name)
        try:
            return int(value) if value else default
        except ValueError:
            self.problem(f"{name} must be a whole number, not {value!r}.")
            return default

    def items(self, name: str, default: str = "") -> list[str]:
        """A comma list: "a, b,,c" -> ["a", "b", "c"]."""
        return [item.strip() for item in self.text(name, default).split(",") if item.strip()]

    def time_of_day(self, name: str, default: str) -> time:
        value = self.text(name, default)
        try:
            return time.fromisoformat(value)
        except ValueError:
            self.problem(f"{name} must be a New York time like {default}, not {value!r}.")
            return time.fromisoformat(default)
