"""The public pages' template engine: Jinja2, through Django's own backend (settings.TEMPLATES lists it first).

Readers' pages (templates under jinja2/) render as Python functions compiled once per process: several times
faster than the Django template language, which was about half of an uncached page. The admin, the emails and
the third-party apps' templates stay on Django templates (templates/). docs/templates.md says why and how.

Two things keep the HTML byte for byte what Django rendered (lawsite/template_text.py writes both):
- Escaping: each printed value goes through `escape` (the environment's `finalize`), which writes it Django's
  way (&#x27; and &quot;, not MarkupSafe's &#39; and &#34;); the compiled templates call it instead of
  MarkupSafe's escape (`CodeGenerator`).
- Translations: `{% trans %}…{% endtrans %}` and `_("…")` read Django's catalogue (locale/es) with the msgids
  of `{% blocktranslate %}` and `{% translate %}`.
"""

from datetime import datetime
from types import FunctionType, MethodType

import jinja2
import jinja2.compiler
from django.conf import settings
from django.template import defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static as django_static
from django.test.signals import template_rendered
from django.urls import reverse

from articles.addresses import page_address
from articles.templatetags.time_limits import rule_words
from lawsite import page_state
from lawsite.form_renderer import form_field
from lawsite.template_text import escape, gettext, ngettext, npgettext, pgettext, remember
from lawsite.templatetags import site
from lawsite.time_limit_items import time_limit_items


class CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles `{{ value }}` to `environment.finalize(value)` (template_text.escape) instead of Jinja2's
    `escape(environment.finalize(value))`: the finalized value was already escaped, and MarkupSafe's escape
    then built a second Markup of it, a Python call costing more than the escaping itself (~1.2 µs for a
    translation) on every value a page prints. The same hooks Jinja2's own NativeCodeGenerator overrides. With
    autoescaping off (no page turns it off) a value prints as it is, unescaped."""

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.volatile:
            self.write("(environment.finalize if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("environment.finalize(")
        else:
            self.write("str(")

    def _output_child_post(self, node, frame, finalize):
        self.write(")")


def _localtime(function):
    """A Django filter declared expects_localtime: datetimes reach it in the current time zone."""

    def filter_(value, *args):
        # timezone.template_localtime(value), with the time zone read once per render (lawsite/page_state.py).
        if (
            isinstance(value, datetime)
            and value.tzinfo is not None
            and settings.USE_TZ
            and getattr(value, "convert_to_local_time", True)
        ):
            value = value.astimezone(page_state.time_zone())
        return function(value, *args)

    filter_.__name__ = function.__name__
    return filter_


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def now(format_string: str) -> str:
    """{{ now("Y") }}: Django's {% now %}."""
    return defaultfilters.date(datetime.now(tz=page_state.time_zone()), format_string)


def static(path: str) -> str:
    """{{ static("css/site.css") }}: Django's {% static %}."""
    return remember(("static", path), lambda: django_static(path))


def url(name: str, *args, **kwargs) -> str:
    """{{ url("articles:detail", slug) }}: Django's {% url %}. A page's fixed links (the form, the home page)
    are reversed once per language (page_address); a reverse costs more than the rest of a link."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return page_address(name, page_state.language())


def site_jsonld(data: dict) -> str:
    """{{ site_jsonld(legal_service) }}: the firm's JSON-LD (articles/context_processors.py), the same on every
    page of a language: built once per language."""
    return remember(("jsonld", page_state.language()), lambda: site.jsonld(data))


class TemplateError(jinja2.Undefined):
    """Under DEBUG (and so in tests): printing or looping over a name the page does not have is an error,
    not an empty string. `{% if x %}`, `x or y`, `x is defined` and `x.y` still treat it as absent, as
    optional values need."""

    __slots__ = ()
    __str__ = __iter__ = __html__ = jinja2.StrictUndefined.__str__


class Context(jinja2.runtime.Context):
    """Jinja2's Context, with a shorter way through call() for what a page calls most: plain Python
    functions and methods (gettext, url, a card's get_absolute_url) and macros. Jinja2 asks every callable
    twice whether it wants the context or the environment passed in (pass_context and its kin mark a function
    with `jinja_pass_arg`), each time by hasattr, which raises and catches an AttributeError when the answer
    is no: about 0.5 us a call, and an article page makes about a hundred calls. A function's or method's
    own attributes answer the same question without raising; a macro never wants either; anything else
    (a callable object, a builtin, a marked function) goes Jinja2's own way."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805  (Jinja2's names: a keyword may be called "self")
        kind = type(__obj)
        if kind is MethodType:
            function = __obj.__func__
            plain = type(function) is FunctionType and "jinja_pass_arg" not in function.__dict__
        else:
            plain = kind is jinja2.runtime.Macro or (
                kind is FunctionType and "jinja_pass_arg" not in __obj.__dict__
            )
        if not plain:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class Environment(jinja2.Environment):
    """Jinja2's environment, with every template sharing the environment's globals dictionary itself.

    Jinja2 gives each template `ChainMap({}, env.globals)`. A ChainMap's `keys()`, `in` and `dict(…)` walk
    and merge its maps each time, and Jinja2 does that on every include and import a page makes
    (`Template.new_context` copies the globals, and `{% from … import … %}` compares the two templates'
    globals' keys before reusing the imported module): about 40 µs of an article's 450 µs template, measured
    by rendering the same pages with either globals, interleaved (min of 20 rounds of 300 renders). The maps'
    first, empty dictionary never held anything: nothing here gives a loaded template globals of its own
    (get_template refuses them, below); a template made from a string with globals gets Jinja2's ChainMap."""

    context_class = Context

    def make_globals(self, d):
        return self.globals if not d else super().make_globals(d)

    # Jinja2 adds the globals given here to a cached template's own globals, which are the environment's:
    # they would reach every template. Values for a page go in its context. (get_or_select_template calls
    # one of these two.)
    def get_template(self, name, parent=None, globals=None):  # noqa: A002  (Jinja2's name)
        _no_own_globals(globals)
        return super().get_template(name, parent)

    def select_template(self, names, parent=None, globals=None):  # noqa: A002
        _no_own_globals(globals)
        return super().select_template(names, parent)


def _no_own_globals(globals) -> None:  # noqa: A002
    if globals:
        raise TypeError("lawsite's templates share the environment's globals: pass values in the context")


def environment(**options) -> jinja2.Environment:
    """The Jinja2 environment (settings.TEMPLATES OPTIONS "environment")."""
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    options["finalize"] = escape
    options["keep_trailing_newline"] = (
        True  # as Django templates do: an include ends with its last line break
    )
    options["undefined"] = TemplateError if settings.DEBUG else jinja2.Undefined
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.code_generator_class = CodeGenerator  # before any template is compiled
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    # Our own, not the extension's wrappers: they escape values Django's way (see the module's docstring).
    # `_` straight to gettext, not through the extension's alias (a context lookup and call per text).
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
    env.globals.update(
        url=url,
        static=static,
        now=now,
        jsonld=site.jsonld,
        site_jsonld=site_jsonld,
        site_wide=site.site_wide,
        site_urls=site.site_urls,
        form_field=form_field,
        time_limit_items=time_limit_items,
    )
    env.filters.update(
        local_date=_localtime(site.local_date),
        iso_time=_localtime(site.iso_time),
        local_datetime=_localtime(site.local_datetime),
        date=_localtime(defaultfilters.date),
        startswith=site.startswith,
        rule_words=rule_words,
        linebreaks=linebreaks,
        urlencode=defaultfilters.urlencode,
        truncatewords=defaultfilters.truncatewords,
        capfirst=defaultfilters.capfirst,
        lower=defaultfilters.lower,
    )
    return env


class Template(django_jinja2.Template):
    """Renders as Django's Jinja2 template does, with two differences. The view's context wins over the
    context processors', as with Django templates (an article's own "alternates" over the default ones).
    And it sends Django's template_rendered signal, as Django templates do under the test runner, so a
    test reads `response.context["form"]` and `response.templates` whichever engine rendered the page (in
    production the signal has no receivers and costs a dictionary lookup)."""

    @property
    def name(self) -> str:
        return self.template.name

    def render(self, context=None, request=None):
        if request is not None:
            values = {
                "request": request,
                "csrf_input": django_jinja2.csrf_input_lazy(request),
                "csrf_token": django_jinja2.csrf_token_lazy(request),
            }
            for context_processor in self.backend.template_context_processors:
                values.update(context_processor(request))
            if context:
                values.update(context)
            context = values
        elif context is None:
            context = {}
        template_rendered.send(sender=self, template=self, context=context)
        try:
            with page_state.rendering():
                return self.template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            new = django_jinja2.TemplateSyntaxError(exc.args)
            new.template_debug = django_jinja2.get_exception_info(exc)
            raise new from exc


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with the Template above."""

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.env.get_template(template_name), self)
        except jinja2.TemplateNotFound as exc:
            raise django_jinja2.TemplateDoesNotExist(exc.name, backend=self) from exc
        except jinja2.TemplateSyntaxError as exc:
            new = django_jinja2.TemplateSyntaxError(exc.args)
            new.template_debug = django_jinja2.get_exception_info(exc)
            raise new from exc
