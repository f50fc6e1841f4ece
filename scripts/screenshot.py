"""Screenshot console pages in headless Chromium, in both languages, to look at them.

    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 --login owner@demo.test \
        --out var/shots /o/demo/apps/ /o/demo/orders/

Writes <out>/<lang>-<path>.png for zh-hans and en. Not a test: a tool for people.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", default="owner@demo.test")
    parser.add_argument("--password", default="demo-console-2026")
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for lang in ("zh-hans", "en"):
            context = browser.new_context(viewport={"width": args.width, "height": 900}, locale=lang)
            context.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
            page = context.new_page()
            if args.login:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=username]", args.login)
                page.fill("input[name=password]", args.password)
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
            for path in args.paths:
                page.goto(args.base + path)
                name = re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") or "root"
                target = out / f"{lang}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
