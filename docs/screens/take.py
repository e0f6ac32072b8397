"""Screenshots of the main pages at a laptop (1366 px) and a phone (390 px) width, from the demo
data as ``make run`` serves it: ``make screens`` writes them to docs/screens/ (JPEG, the first
screen of each page, as a person opening it sees it). Needs Chromium (``apt-get install
chromium``) and the test extras (Playwright).

The demo is built in a throwaway directory (SQLite, in-memory layer) and served by one Daphne
process on a free port; nothing of the workspace's own var/ is touched.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness import Daphne, child_env, log  # noqa: E402

OUT = Path(__file__).resolve().parent
WIDTHS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

# (file name, demo login or None, path or a callable finding it on the page, what it shows)
PAGES = [
    ("home", "beirut", "/", "Home: what needs you now, in your role"),
    ("list", "beirut", "/recommendations/", "The recommendations, with filters"),
    ("recommendation", "beirut", "first", "A recommendation: ¶ numbers, comment counts, actions"),
    ("comments", "lyon", "first/#comments", "Its comments, thread by paragraph"),
    ("compare", "beirut", "first/compare/", "Compare two versions, as read"),
    ("edit", "madrid", "first/edit/", "The editor (Write / Preview tabs on a phone)"),
    ("overview", None, "/overview/", "The conference overview"),
    ("edition", None, "/published/", "Published editions"),
    ("followup", None, "/followup/", "Commitments and follow-up"),
    ("notifications", "beirut", "/notifications/", "Notifications"),
    ("home-ar", "tunis", "/", "Home in Arabic (right to left)"),
]


def main(argv: list[str] | None = None) -> int:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (docs/screens/)")
    parser.add_argument("--format", choices=("jpeg", "png"), default="jpeg")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "jpg" if args.format == "jpeg" else "png"

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Chromium is needed: apt-get install chromium", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="screens-"))
    env = child_env(
        {
            "WORKSPACE_VAR_DIR": str(workdir / "var"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "WORKSPACE_FAST_HASHER": "true",
            "WORKSPACE_RATE_LIMITS": "off",
            "LOG_LEVEL": "WARNING",
        }
    )
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        log(f"manage.py {' '.join(command)}")
        subprocess.run(  # noqa: S603 - manage.py of this checkout
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600
        )
    server = Daphne("workspace.asgi:application", env, workdir, "screens")
    try:
        server.wait_ready()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium)
            first = None
            for name, login, path, _what in PAGES:
                for width, viewport in WIDTHS.items():
                    arabic = name.endswith("-ar")  # switched to Arabic after logging in
                    context = browser.new_context(
                        base_url=server.url,
                        viewport=viewport,
                        device_scale_factor=1,
                        locale="en-GB",
                    )
                    page = context.new_page()
                    if login:
                        page.goto("/accounts/login/")
                        page.get_by_label("Username").fill(login)
                        page.get_by_label("Password").fill("demo")
                        page.get_by_role("button", name="Log in").click()
                        page.wait_for_url(lambda url: "/accounts/login/" not in url)
                        lang = page.evaluate("document.documentElement.lang")
                        if arabic and lang != "ar":  # the footer's choice, kept on the profile
                            page.locator("#language-select").select_option("ar")
                            page.locator("footer button[type=submit]").click()
                            page.wait_for_load_state("networkidle")
                    if first is None:  # a text in review of the demo, with its discussion
                        page.goto("/recommendations/?status=in_review")
                        first = page.locator("main a[href]").evaluate_all(
                            "els => els.map(e => e.getAttribute('href'))"
                            ".find(h => /^\\/recommendations\\/\\d+\\/$/.test(h))"
                        )
                    target = path.replace("first", first.rstrip("/"), 1)
                    if target == first.rstrip("/"):
                        target = first
                    page.goto(target)
                    page.wait_for_load_state("networkidle")
                    if "#" in target:
                        page.locator(target[target.index("#") :]).scroll_into_view_if_needed()
                    shot = args.out / f"{name}-{width}.{suffix}"
                    quality = {"quality": 70} if args.format == "jpeg" else {}
                    page.screenshot(path=shot, type=args.format, **quality)
                    log(f"{shot.name}  {target}")
                    context.close()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
