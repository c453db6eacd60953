from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form templates, looked up like every other template, with each field wrapped in
    a block of its own."""

    field_template_name = "forms/field.html"
