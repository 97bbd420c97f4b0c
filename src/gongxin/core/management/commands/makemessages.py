"""``gongxin makemessages``: Django's, also extracting ``N_("...")``, the marker that pure
modules (no Django imports) use for messages translated where they are shown."""

from django.core.management.commands.makemessages import Command as DjangoMakeMessages


class Command(DjangoMakeMessages):
    xgettext_options = [*DjangoMakeMessages.xgettext_options, "--keyword=N_"]
