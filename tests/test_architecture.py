"""The direction of dependencies (docs/architecture.md): lawsite/ wires the apps together and may import them;
the apps never import lawsite/; consultations/ may import articles/, never the reverse; no import circles.

Every import counts, including those inside functions: a lazy import is still a dependency."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lawsite", "articles", "consultations")


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


@pytest.mark.parametrize("app", ["articles", "consultations"])
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
