"""How forms render: Django's own field and widget templates through Jinja2, everything else as configured.

Django ships each of its form templates (django/forms/…) twice, for its own template language and for Jinja2,
with the same markup. Rendered by the Django template language, a form's fields and widgets were the largest
part of an uncached /time-limits/ answer (two groups of radio buttons: ~40 small templates per page); Jinja2
compiles them to Python functions. A template a form names itself (consultations/field.html) still comes
from settings.TEMPLATES, as with Django's TemplatesSetting renderer, and so does every page.
"""

from django.forms import renderers
from django.utils.functional import cached_property


class FormRenderer(renderers.TemplatesSetting):
    def get_template(self, template_name):
        if template_name.startswith("django/forms/"):
            return self.django_forms_jinja2.get_template(template_name)
        return super().get_template(template_name)

    @cached_property
    def django_forms_jinja2(self):
        return renderers.Jinja2().engine
