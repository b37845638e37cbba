# Editors may look at the archive: the same Editors group and editor account as the articles tests.
from tests.articles.conftest import editor, editors_group  # noqa: F401
