"""The articles app's admin, one module per concern; importing this package registers every model."""

from articles.admin import approval, articles, people, practice_areas, search  # noqa: F401
