"""The public pages' Jinja2 templates (templates/jinja2/, lawsite/jinja2.py): every text they show has its
Spanish translation, and values print exactly as Django templates printed them.

Django's makemessages cannot read Jinja2 syntax: the first test extracts each message of these templates as
Babel would (scripts/jinja2_messages.py, which `make messages` also runs) and looks it up in
locale/es/LC_MESSAGES/django.po. A new text fails here until it is translated there (docs/templates.md)."""

import ast
from pathlib import Path

import pytest
from django.template import engines
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString
from markupsafe import Markup

from scripts.jinja2_messages import template_messages

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def catalogue() -> dict[tuple[str, str], dict]:
    """(context, msgid) -> {"plural": msgid_plural, "strings": [msgstr, ...], "fuzzy": bool} from the .po."""
    entries, entry, field = {}, None, None

    def finish():
        if entry and "msgid" in entry:
            key = (entry.get("msgctxt", ""), entry["msgid"])
            strings = [value for name, value in sorted(entry.items()) if name.startswith("msgstr")]
            entries[key] = {"plural": entry.get("msgid_plural"), "strings": strings, "fuzzy": entry["fuzzy"]}

    for line in [*CATALOGUE.read_text().splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"fuzzy": False}
        if line.startswith("#"):
            entry["fuzzy"] = entry["fuzzy"] or (line.startswith("#,") and "fuzzy" in line)
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, text = line.partition(" ")
            entry[field] = ast.literal_eval(text)
    return entries


def test_every_text_of_the_jinja2_templates_has_a_spanish_translation():
    entries = catalogue()
    messages = template_messages()
    assert len(messages) > 250  # the extraction found the templates' texts
    problems = []
    for where, context, msgid, plural in messages:
        entry = entries.get((context, msgid))
        if entry is None:
            problems.append(f"{where}: not in django.po: {msgid!r}")
        elif entry["fuzzy"] or not all(entry["strings"]) or (len(entry["strings"]) > 1) != bool(plural):
            problems.append(f"{where}: no Spanish translation (or a fuzzy one) in django.po: {msgid!r}")
        elif plural and entry["plural"] != plural:
            problems.append(f"{where}: its plural differs from django.po's: {plural!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "value",
    ["O'Brien & Sons", '<a href="x">', "plain", 3, None, Markup("<b>safe</b>"), SafeString("<i>x</i>")],
)
def test_values_print_escaped_as_django_templates_escape_them(value):
    jinja2 = engines["jinja2"]
    django = engines["django"]
    assert jinja2.from_string("{{ v }}").render({"v": value}) == django.from_string("{{ v }}").render(
        {"v": value}
    )
    assert jinja2.from_string("{{ v }}").render({"v": value}) == escape(value)
    placed = jinja2.from_string("{% trans name=v %}Call {{ name }}{% endtrans %}").render({"v": value})
    assert placed == f"Call {escape(value)}"


@pytest.mark.django_db
def test_a_page_rendered_by_jinja2_gives_tests_its_context_and_template(client):
    response = client.get("/time-limits/?what=car&who=unsure")
    assert response.context["form"].is_bound
    assert "articles/time_limits.html" in [template.name for template in response.templates]


def test_the_catalogues_references_name_lines_that_exist():
    """A translator finds each text where a `#:` reference says: a file in the repository (a Jinja2 template,
    not the temporary file `make messages` hands to makemessages), within its length."""
    references = [
        reference
        for line in CATALOGUE.read_text().splitlines()
        if line.startswith("#: ")
        for reference in line[3:].split()
    ]
    assert len(references) > 400
    for reference in references:
        path, _, line = reference.rpartition(":")
        assert (ROOT / path).is_file(), reference
        assert 1 <= int(line) <= len((ROOT / path).read_text().splitlines()), reference
    assert any(reference.startswith("templates/jinja2/") for reference in references)


def test_make_messages_points_the_generated_files_references_at_the_templates(tmp_path):
    from scripts.jinja2_messages import as_python, fix_locations

    source, origins = as_python(template_messages())
    generated = source.splitlines()
    line, where = next(iter(origins.items()))
    po = tmp_path / "django.po"
    po.write_text(f'#: articles/feeds.py:17 templates/jinja2_messages.py:{line}\nmsgid "x"\nmsgstr "y"\n')
    assert fix_locations("templates/jinja2_messages.py", po) == 1
    assert po.read_text().splitlines()[0] == f"#: articles/feeds.py:17 {where}"
    # The template line holds the text the generated line asks for.
    template, number = where.rsplit(":", 1)
    msgid = ast.literal_eval(generated[line - 1].split("(", 1)[1].rsplit(")", 1)[0].split(", ")[0])
    assert msgid.split("%(")[0][:20] in (ROOT / template).read_text().splitlines()[int(number) - 1]


def test_printed_values_are_escaped_once_by_our_finalize_not_again_by_markupsafe():
    """lawsite/jinja2.py's CodeGenerator: `{{ v }}` compiles to environment.finalize(v) alone (the values above
    print as Django prints them), and a block with autoescaping off prints the value as it is."""
    env = engines["jinja2"].env
    source = env.compile("{{ v }}{% for x in xs %}{{ x }}{% endfor %}", raw=True)
    assert "environment.finalize(" in source and "escape(" not in source
    raw = engines["jinja2"].from_string("{% autoescape false %}{{ v }}{% endautoescape %}{{ v }}")
    assert raw.render({"v": "<b>"}) == "<b>&lt;b&gt;"


def test_a_render_reads_the_language_and_time_zone_active_when_it_starts():
    """lawsite/page_state.py: each render looks them up once; a render inside translation.override() (an
    email, the other language's page) gets that language, and nothing is left behind after it."""
    from datetime import UTC, datetime

    from django.utils import timezone, translation

    from lawsite import page_state

    page = engines["jinja2"].from_string(
        "{{ _('Home') }} {% trans n=1 %}Page {{ n }}{% endtrans %} {{ when|local_datetime }}"
    )
    when = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)
    with translation.override("es"):
        spanish = page.render({"when": when})
        with translation.override("en"):
            english = page.render({"when": when})
        assert page_state.language() == "es"
    with timezone.override("America/Chicago"):
        chicago = page.render({"when": when})
    assert spanish.startswith("Inicio ") and spanish.endswith("6 de diciembre de 2026, 12:30")
    assert english.startswith("Home ") and english.endswith("December 6, 2026, 12:30 p.m.")
    assert chicago.endswith("December 6, 2026, 11:30 a.m.")


def test_templates_share_the_environments_globals_and_a_template_given_its_own_keeps_them_apart():
    """lawsite/jinja2.py's Environment: a page's templates read the environment's globals dictionary itself
    (no ChainMap to merge on every include and import); a template loaded with globals of its own gets them
    without adding them to every other template's."""
    env = engines["jinja2"].env
    assert env.get_template("base.html").globals is env.globals
    own = env.from_string("{{ marker }}", globals={"marker": "mine"})
    assert own.render() == "mine" and own.globals is not env.globals
    assert "marker" not in env.globals
    assert env.from_string("{{ marker is defined }}").render() == "False"
    with pytest.raises(TypeError, match="context"):  # it would add them to the shared globals
        env.get_template("base.html", globals={"marker": "everyone's"})
    assert "marker" not in env.globals


def test_calls_pass_the_context_only_to_what_asks_for_it():
    """lawsite/jinja2.py's Context.call: plain functions, methods and macros are called as they are (even
    inside a block, where Jinja2 adds _block_vars), marked ones get the context or the environment, a
    callable object goes Jinja2's way, and a StopIteration still reads as undefined."""
    import jinja2

    env = engines["jinja2"].env

    class Greeter:
        def hello(self, name):
            return f"hello {name}"

        @jinja2.pass_context
        def where(self, context):
            return context["place"]

    class Shout:
        def __call__(self, text):
            return text.upper()

    def stops():
        raise StopIteration

    page = env.from_string(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{% block b %}{{ plain(1) }} {{ greeter.hello('you') }} {{ greeter.where() }} {{ ctx() }} "
        "{{ environment_name() }} {{ shout('hey') }} {{ twice('ab') }} {{ stops() is defined }}{% endblock %}"
    )
    values = {
        "plain": lambda n: n + 1,
        "greeter": Greeter(),
        "ctx": jinja2.pass_context(lambda context: context["place"]),
        "environment_name": jinja2.pass_environment(lambda environment: type(environment).__name__),
        "shout": Shout(),
        "stops": stops,
        "place": "NYC",
    }
    assert page.render(values) == "2 hello you NYC NYC Environment HEY abab False"
