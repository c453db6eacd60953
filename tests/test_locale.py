import gettext
import re
import shutil
import subprocess
from pathlib import Path

FOLDER = Path(__file__).parents[1] / "handlespor" / "locale" / "en" / "LC_MESSAGES"


def test_every_english_translation_is_filled_in():
    po = (FOLDER / "django.po").read_text()

    untranslated = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n\n', po)

    # "Home" is Django's own admin word, translated by Django's catalogue.
    assert untranslated == ["Home"]


def test_compiled_english_catalogue_matches_its_source(tmp_path):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed: apt-get install gettext"

    subprocess.run(
        ["msgfmt", "-o", str(tmp_path / "fresh.mo"), str(FOLDER / "django.po")], check=True
    )

    with (tmp_path / "fresh.mo").open("rb") as fresh, (FOLDER / "django.mo").open("rb") as kept:
        assert gettext.GNUTranslations(kept)._catalog == gettext.GNUTranslations(fresh)._catalog


def test_no_english_translation_is_a_fuzzy_guess():
    po = (FOLDER / "django.po").read_text()

    # Fuzzy entries are guesses by makemessages; msgfmt leaves them out, so the page is Danish.
    assert re.findall(r"#, fuzzy.*\nmsgid \"(.+)\"", po) == []
