"""How forms render: Django's own field and widget templates through Jinja2, everything else as configured.

Django ships each of its form templates (django/forms/…) twice, for its own template language and for Jinja2,
with the same markup. Rendered by the Django template language, a form's fields and widgets were the largest
part of an uncached /time-limits/ answer (two groups of radio buttons: ~40 small templates per page); Jinja2
compiles them to Python functions. A template a form names itself (consultations/field.html) still comes
from settings.TEMPLATES, as with Django's TemplatesSetting renderer, and so does every page.

Even through Jinja2, a field rendered by Django's templates is a chain of includes (field, radio, multiple
input, radio option, input option, input, attrs: ~330 template calls for /time-limits/'s five fields). The
page writes the same markup itself with `form_field` below (a template global), from Django's own widget
context (which option is checked, the ids, the aria attributes) without its templates.
tests/test_form_field_macro.py checks that its HTML is Django's, byte for byte.
"""

from django.forms import renderers
from django.utils.functional import cached_property
from markupsafe import Markup


class FormRenderer(renderers.TemplatesSetting):
    def get_template(self, template_name):
        if template_name.startswith("django/forms/"):
            return self.django_forms_jinja2.get_template(template_name)
        return super().get_template(template_name)

    @cached_property
    def django_forms_jinja2(self):
        return renderers.Jinja2().engine


# The widget templates form_field() writes itself: each of these is Django's input.html alone (<input …>), and
# the radio buttons (multiple_input.html with input_option.html per option).
_WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    _WIDGETS + name
    for name in ("input.html", "text.html", "number.html", "email.html", "url.html", "search.html", "tel.html",
                 "password.html", "date.html", "datetime.html", "time.html", "checkbox.html")
)  # fmt: skip
RADIO = (_WIDGETS + "radio.html", _WIDGETS + "radio_option.html")
DEFAULT_FIELD_TEMPLATES = ("django/forms/field.html", "django/forms/label.html")


def field_widget(field) -> dict | None:
    """{% set widget = field_widget(form.what) %}: what Django's widget template would get for this bound
    field (`{{ field }}`, BoundField.as_widget) — name, value, attrs and, for radio buttons, the options with
    their ids and `checked` — without rendering it. None when the field or its widget uses a template
    form_field() does not write (it then lets Django render the field)."""
    widget = field.field.widget
    if (field.template_name, field.form.template_name_label) != DEFAULT_FIELD_TEMPLATES:
        return None
    if widget.template_name not in INPUT_TEMPLATES and (
        (widget.template_name, getattr(widget, "option_template_name", None)) != RADIO
    ):
        return None
    if widget.is_hidden or not _plain_label(field):
        return None
    # As BoundField.as_widget does before rendering.
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _plain_label(field) -> bool:
    """The label as form_field() writes it: a <label for> or <legend> with the label alone (no suffix, no class)."""
    suffix = field.field.label_suffix if field.field.label_suffix is not None else field.form.label_suffix
    return bool(
        field.auto_id and field.label and not suffix and not hasattr(field.form, "required_css_class")
    )


def _escaped(value) -> str:
    """MarkupSafe's escape, as Django's Jinja2 form templates print every value (' as &#39;, " as &#34;), as
    text: the same five characters, without a Markup object per value (str.replace: faster than translate)."""
    if type(value) is not str:  # most values are: no attribute lookup for them
        if hasattr(value, "__html__"):
            return str(value.__html__())
        value = str(value)
    if not ("&" in value or "<" in value or ">" in value or '"' in value or "'" in value):
        return value  # most ids, names and labels: five searches cost a fraction of five replaces
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _attr(name, value) -> str:
    """One attribute as Django's django/forms/widgets/attrs.html writes it: ` name="value"`, or ` name` alone
    for True (False is left out by the caller)."""
    return f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(value)}"'


def input_tag(widget: dict) -> Markup:
    """{{ widget|input_tag }}: Django's django/forms/widgets/input.html (every <input>, and each radio button
    of a group: an option has the same keys) in one call."""
    value = widget["value"]
    value = "" if value is None else f' value="{_escaped(value)}"'
    attrs = "".join(_attr(name, v) for name, v in widget["attrs"].items() if v is not False)
    return Markup(  # noqa: S704  (every value is escaped on these lines)
        f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"{value}{attrs}>'
    )


def radio_group(widget: dict) -> Markup:
    """{{ widget|radio_group }}: Django's django/forms/widgets/multiple_input.html for radio buttons, with
    input_option.html for each option (a label around the option's input_tag and its text), in one call rather
    than a loop in a template macro with an escape filter call per value (/time-limits/'s five fields: 291 -> 268 us,
    December 2026)."""
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_escaped(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_escaped(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_escaped(group)}</label>")
        for option in options:
            option_id = option["attrs"].get("id")
            label_for = f' for="{_escaped(option_id)}"' if option_id else ""
            parts.append(
                f"<div>\n    <label{label_for}>{input_tag(option)} {_escaped(option['label'])}</label></div>"
            )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return Markup("".join(parts))  # noqa: S704  (every value is escaped on these lines)


def form_field(field) -> Markup:
    """{{ form_field(form.what) }}: the same HTML as {{ field.as_field_group() }} (Django's django/forms/field.html
    with its label, errors and widget templates, as its Jinja2 engine escapes them), written here from
    field_widget()'s context; a field or widget whose template this does not write is rendered by Django.
    It was a Jinja2 macro (includes/form_field.html): /time-limits/'s five fields took ~165 us with it, ~135
    written here, field_widget()'s ~60 included (in-process, December 2026). tests/test_form_field_macro.py
    compares its HTML with Django's, byte for byte."""
    widget = field_widget(field)
    if widget is None:
        return Markup(field.as_field_group())  # noqa: S704  (Django's own rendering, already safe)
    parts = []
    label = field.label
    if fieldset := field.use_fieldset:
        describedby = field.aria_describedby
        parts.append(
            f'<fieldset aria-describedby="{_escaped(describedby)}">' if describedby else "<fieldset>"
        )
        parts.append(f"\n  <legend>{_escaped(label)}</legend>\n" if label else "\n  \n")
    elif label:
        label_for = field.id_for_label
        label_for = f' for="{_escaped(label_for)}"' if label_for else ""
        parts.append(f"<label{label_for}>{_escaped(label)}</label>\n")
    parts.append("\n")
    if help_text := field.help_text:
        auto_id = field.auto_id
        help_id = f' id="{_escaped(auto_id)}_helptext"' if auto_id else ""
        parts.append(f'<div class="helptext"{help_id}>{help_text}</div>')
    parts.append("\n")
    if errors := field.errors:
        error_id = f' id="{_escaped(errors.field_id)}_error"' if errors.field_id else ""
        items = "".join(f"<li>{_escaped(error)}</li>" for error in errors)
        parts.append(f'<ul class="{_escaped(errors.error_class)}"{error_id}>{items}</ul>')
    parts.append("\n")
    parts.append(radio_group(widget) if "optgroups" in widget else input_tag(widget))
    if fieldset:
        parts.append("\n</fieldset>")
    return Markup("".join(parts))  # noqa: S704  (every value is escaped on these lines)
