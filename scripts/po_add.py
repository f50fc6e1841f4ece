"""Add zh-hans translations to the catalog and recompile it, without rewriting the rest of the file:
`python scripts/po_add.py file.json` where the file maps msgid -> msgstr (a list of two for a plural:
[msgid_plural, msgstr]). New entries go at the end (so branches that add strings merge side by side);
an existing msgid gets its translation replaced. `makemessages` is not needed for this."""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> None:
    translations = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    catalog = polib.pofile(str(PO))
    known = {(e.msgctxt, e.msgid): e for e in catalog}
    added = 0
    for msgid, value in translations.items():
        plural, msgstr = (value if isinstance(value, list) else (None, value))
        entry = known.get((None, msgid))
        if entry is None:
            entry = polib.POEntry(msgid=msgid)
            if plural:
                entry.msgid_plural = plural
            catalog.append(entry)
            added += 1
        if entry.msgid_plural:
            entry.msgstr_plural = {0: msgstr}
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()
    catalog.save_as_mofile(str(PO.with_suffix(".mo")))
    print(f"{added} added, {len(translations) - added} updated; {catalog.percent_translated()}% translated")


if __name__ == "__main__":
    main()
