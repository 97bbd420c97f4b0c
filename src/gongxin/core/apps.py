from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongxin.core"
    label = "core"
    verbose_name = "公信"

    def ready(self):
        # One rule for free text on every page form, as in the API (gongxin.api.CheckedParser):
        # no control characters (Django's own check refuses only the NUL byte).
        from django import forms

        from .text import check_plain_text

        if check_plain_text not in forms.CharField.default_validators:
            forms.CharField.default_validators = [*forms.CharField.default_validators, check_plain_text]

        # Cached list counts are dropped when a model a list reads changes (core/lists).
        from .lists.versions import connect

        connect()
