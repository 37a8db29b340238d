"""The Swedish catalogue is complete: every message the code marks is extracted and translated, none is a guess."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
OUR_CODE = ["config", "core", "planning", "budget", "internalcontrol", "followup"]
# makemessages extracts only these names; an import under another alias hides its strings from the catalogue.
KEYWORDS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
ALIASED = re.compile(r"from django\.utils\.translation import (\w+) as (\w+)")


def entries() -> list[str]:
    return PO.read_text("utf-8").split("\n\n")[1:]


def test_no_translation_function_hides_under_an_alias_makemessages_does_not_know():
    hidden = [
        f"{path}: {match[0]} as {match[1]}"
        for folder in OUR_CODE
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py")
        for match in ALIASED.findall(path.read_text("utf-8"))
        if match[1] not in KEYWORDS
    ]
    assert hidden == []


def test_every_message_is_translated_and_none_is_a_fuzzy_guess():
    fuzzy = [entry for entry in entries() if "#, fuzzy" in entry]
    untranslated = [entry for entry in entries() if re.search(r'^msgstr(\[\d\])? ""(?!\n")', entry, re.M)]
    assert fuzzy == [] and untranslated == []


def test_the_catalogue_names_the_report_decisions():
    text = PO.read_text("utf-8")
    assert 'msgid "Send for review"\nmsgstr "Skicka för granskning"' in text
