"""Modules a person can hold in their head: no module of the project but a migration or a test is over
LONGEST lines. Split a growing module by concern (as articles/models/ and lawsite/settings/ are) rather than
raise the limit."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONGEST = 420
NOT_OURS = {".venv", "node_modules", "var", ".git", "tests"}


def project_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not NOT_OURS & set(path.relative_to(ROOT).parts) and "migrations" not in path.parts
    ]


def test_no_module_is_longer_than_a_person_can_hold_in_their_head():
    modules = project_modules()
    assert (
        len(modules) > 50 and ROOT / "lawsite" / "settings" / "core.py" in modules
    )  # the scan sees the code
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > LONGEST
    }
    assert too_long == {}
