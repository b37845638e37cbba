"""The direction of dependencies (docs/architecture.md): lawsite/ wires the apps together and may import them;
the apps never import lawsite/; consultations/ may import articles/, never the reverse; outbox/ (delivery) is at
the bottom and imports no other app of ours; consultations/ neither imports nor names what belongs to articles'
approvals, review reminders or the advertising archive; the archive (archive/, above both apps: it captures their
pages) is imported by nothing but the wiring; no import circles.

Every import counts, including those inside functions: a lazy import is still a dependency."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lawsite", "outbox", "articles", "consultations", "archive")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "migrations" not in path.parts
}


def imports_of(path: Path) -> set[str]:
    """The project modules this file imports (anywhere in it)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from articles import compliance` imports the module articles.compliance.
            names = [
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PACKAGES)
    return found


GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def test_the_modules_were_found():
    assert "articles.models" in GRAPH and "consultations.forms" in GRAPH and "lawsite.settings" in GRAPH


@pytest.mark.parametrize("app", ["outbox", "articles", "consultations", "archive"])
def test_the_apps_never_import_the_project_package(app):
    # Migrations included: they must not depend on the wiring either.
    offenders = {
        f"{path.relative_to(ROOT)} imports {target}"
        for path in (ROOT / app).rglob("*.py")
        for target in imports_of(path)
        if target.split(".")[0] == "lawsite"
    }
    assert not offenders


def test_articles_never_imports_consultations():
    offenders = {
        f"{path.relative_to(ROOT)} imports {target}"
        for path in (ROOT / "articles").rglob("*.py")
        for target in imports_of(path)
        if target.split(".")[0] == "consultations"
    }
    assert not offenders


def test_the_outbox_imports_no_other_app():
    """Delivery sits at the bottom: the apps register their kinds of email and their jobs with it
    (outbox/kinds.py, settings.OUTBOX_JOBS), so it never needs to know them."""
    offenders = {
        f"{path.relative_to(ROOT)} imports {target}"
        for path in (ROOT / "outbox").rglob("*.py")
        for target in imports_of(path)
        if target.split(".")[0] != "outbox"
    }
    assert not offenders


def test_nothing_but_the_wiring_imports_the_archive():
    """The archive may import every app; none of them may import it (the worker finds its job through
    settings.OUTBOX_JOBS, the admin through INSTALLED_APPS)."""
    offenders = {
        f"{path.relative_to(ROOT)} imports {target}"
        for app in ("outbox", "articles", "consultations")
        for path in (ROOT / app).rglob("*.py")
        for target in imports_of(path)
        if target.split(".")[0] == "archive"
    }
    assert not offenders


# What belongs to articles/ (approvals and the emails about them) or to the archive; consultations/ must not
# mention it in code (identifiers or strings), let alone import it.
NOT_CONSULTATIONS = re.compile(r"approv|archiv|review[ _]?remind", re.IGNORECASE)


def names_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef | ast.alias):
            found.add(node.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_consultations_neither_imports_nor_names_approvals_review_reminders_or_the_archive():
    offenders = {
        f"{path.relative_to(ROOT)}: {name!r}"
        for path in (ROOT / "consultations").rglob("*.py")
        if "migrations" not in path.parts
        for name in names_in(path)
        if NOT_CONSULTATIONS.search(name)
    }
    assert not offenders


def test_the_names_rule_would_catch_an_import_of_the_approval_module(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from articles import approval\n\ndef queue():\n    return approval.approve\n")
    assert {name for name in names_in(sample) if NOT_CONSULTATIONS.search(name)} == {
        "approval",
        "approve",
    }


def test_there_are_no_import_circles():
    circles = []
    state: dict[str, str] = {}  # "visiting" or "done"

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "visiting"
        for target in sorted(GRAPH.get(name, ())):
            if state.get(target) == "visiting":
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target in GRAPH and target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not circles


def test_a_circle_would_be_found(monkeypatch):
    """The detector itself works: a made-up a -> b -> a circle is reported."""
    monkeypatch.setitem(GRAPH, "articles.fake_a", {"articles.fake_b"})
    monkeypatch.setitem(GRAPH, "articles.fake_b", {"articles.fake_a"})
    with pytest.raises(AssertionError):
        test_there_are_no_import_circles()
