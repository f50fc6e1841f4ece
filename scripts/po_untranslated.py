"""Print the untranslated msgids of the zh-hans catalog as JSON (to translate), or apply a JSON file of
translations: `python scripts/po_untranslated.py` / `python scripts/po_untranslated.py --apply file.json`."""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> None:
    catalog = polib.pofile(str(PO))
    if len(sys.argv) == 3 and sys.argv[1] == "--apply":
        translations = json.loads(Path(sys.argv[2]).read_text())
        for entry in catalog:
            if entry.msgid in translations:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: translations[entry.msgid]}
                else:
                    entry.msgstr = translations[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        catalog.save()
        catalog.save_as_mofile(str(PO.with_suffix(".mo")))
        print(f"{catalog.percent_translated()}% translated")
        return
    missing = [e.msgid for e in catalog if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(json.dumps(missing, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()
