"""``makemessages`` without fuzzy matching: msgmerge's guesses for new messages ("Review" → "Översikt") would ship
wrong Swedish. A new message stays untranslated until someone translates it (``tests/core/test_catalogue.py``)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
