"""The form field writer (form_field in lawsite/form_renderer.py, a template global) writes the same
HTML as Django's own field templates ({{ field.as_field_group() }}), byte for byte: for /time-limits/'s form in
every state a visitor can put it in, in both languages, and for the other widgets and options form_field
claims to handle. For anything else it hands the field to Django."""

import pytest
from django import forms
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from articles.time_limits_page import TimeLimitsForm
from lawsite.form_renderer import field_widget


def writer():
    """form_field as the templates call it."""
    return engines["jinja2"].env.globals["form_field"]


def assert_same_html(form):
    form_field = writer()
    for bound_field in form:
        assert str(form_field(bound_field)) == bound_field.as_field_group(), bound_field.name


TIME_LIMITS_QUERIES = [
    None,
    "",
    "what=car&who=unsure&date=2026-11-02&minor=1&died=1",
    "what=fall&who=city&date=2026-10-20",
    "what=medical&who=private",
    "what=nonsense&date=2099-01-01",
    "what=&who=&date=",
    "what=work&who=state&date=2026-13-40&minor=on&died=0",
    "what=%22%3E%3Cb%3E%27&who=%3Ci%3E&date=%22%27%3C&died=false&minor=true",
    "date=1850-02-03",
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", TIME_LIMITS_QUERIES)
def test_the_time_limits_form_renders_as_django_renders_it(language, query):
    with translation.override(language):
        form = TimeLimitsForm(None if query is None else QueryDict(query))
        if form.is_bound:
            form.is_valid()
        assert all(field_widget(bound_field) is not None for bound_field in form)  # none handed back
        assert_same_html(form)


class Widgets(forms.Form):
    """Every kind of field form_field writes itself, with values and labels that need escaping."""

    name = forms.CharField(label="Name <& 'quoted' \"too\">", max_length=20, help_text="<b>Help</b> text")
    email = forms.EmailField(label="Email", required=False, widget=forms.EmailInput(attrs={"class": "x"}))
    phone = forms.CharField(
        label="Phone", widget=forms.TextInput(attrs={"data-x": "a\"b'c", "disabled": True})
    )
    count = forms.IntegerField(label="How many?", required=False, localize=True)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A & B"), ("Group 'one'", [("b", "<B>"), ("c", "C")]), ("d'q", "D")],
        widget=forms.RadioSelect(attrs={"class": "choices"}),
        help_text="Pick one.",
    )
    agree = forms.BooleanField(label="I agree", required=True)
    when = forms.DateField(label="When", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"name": 'O\'Brien "<x>" & co', "phone": "1", "count": "12", "kind": "b", "agree": "on", "when": "x"},
        {"name": "x" * 30, "email": "not an email", "count": "many", "kind": "d'q"},
        {"kind": "<zzz'\">"},
    ],
)
def test_other_widgets_render_as_django_renders_them(data):
    assert_same_html(Widgets(data))


class Others(forms.Form):
    """Fields form_field does not write: Django renders them."""

    text = forms.CharField(widget=forms.Textarea)
    select = forms.ChoiceField(choices=[("a", "A")])
    boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(widget=forms.HiddenInput)
    unlabelled = forms.CharField(label="")


def test_a_field_form_field_does_not_write_is_left_to_django():
    form = Others({"text": "a"})
    assert all(field_widget(bound_field) is None for bound_field in form)
    assert_same_html(form)
    default_suffix = Widgets(label_suffix=":")  # "Name:" is written by Django's label template
    assert field_widget(default_suffix["name"]) is None
    assert_same_html(default_suffix)
