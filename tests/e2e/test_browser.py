"""Each profile's report.html in a real browser (headless Chromium, 1280x800), as an evaluator sees it.

Checks: every image loaded, nothing wider than the viewport (with every <details> open too), no table
cell breaking inside a word, the
summary within the first screen, every claim row present with its verdict as text; a full-page
screenshot is saved under <outputs>/<profile>/run/. `make test` checks the sample's report;
CI sets ARTIFACT_BROWSER_OUTPUTS=outputs after reproducing esem2024 and independent, and every
profile with a report there is checked too. Skips, saying why, when no browser is installed.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (test extra)")

WIDTH, HEIGHT = 1280, 800
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
)
PROFILES = ("sample", "esem2024", "independent")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="no browser: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
    ),
]

# Elements wider than the viewport or past its right edge, as "tag#id.class (right edge px)".
OVERFLOW_JS = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
  .slice(0, 10)
  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`);
"""
# Table cells whose text breaks inside a word: each cell's rendered text height as styled, and again with
# every breaking inside words switched off (a word then overflows instead of wrapping); a cell whose
# height changes had a word broken. Returns "text (lines as styled -> without)" for the first 20.
BROKEN_WORDS_JS = """
const cells = [...document.querySelectorAll('td, th')];
const heights = () => cells.map(cell => {
  const range = document.createRange(); range.selectNodeContents(cell);
  return Math.round(range.getBoundingClientRect().height);
});
const styled = heights();
const whole = document.createElement('style');
whole.textContent = 'td, th, td *, th * { overflow-wrap: normal !important; word-break: normal !important; }';
document.head.appendChild(whole);
const unbroken = heights();
whole.remove();
return cells.map((cell, i) => [cell, styled[i], unbroken[i]]).filter(([, a, b]) => a !== b).slice(0, 20)
  .map(([cell, a, b]) => `${cell.innerText.trim().slice(0, 60)} (${a} px -> ${b} px)`);
"""
BROKEN_IMAGES_JS = "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt);"
CLAIM_ROWS_JS = """
return Object.fromEntries([...document.querySelectorAll('tr[data-claim]')]
  .map(r => [r.dataset.claim, r.querySelector('td.verdict').innerText.trim()]));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module, with a fresh profile folder and no network services."""
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="chromium-") as profile_dir:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile_dir}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def _reports(request: pytest.FixtureRequest) -> list[Path]:
    """Each profile's outputs under ARTIFACT_BROWSER_OUTPUTS when CI sets it, else the sample's (run here)."""
    root = os.environ.get("ARTIFACT_BROWSER_OUTPUTS")
    if not root:
        copy = request.getfixturevalue("tmp_path") / "sample"  # the screenshot is written under run/: into a copy of the session's run
        shutil.copytree(request.getfixturevalue("sample_outputs"), copy)
        return [copy]
    folders = [Path(root) / profile for profile in PROFILES if (Path(root) / profile / "report.html").is_file()]
    assert folders, f"ARTIFACT_BROWSER_OUTPUTS={root} holds no report.html of {PROFILES}"
    return folders


def _viewport(driver: object, height: int) -> None:
    """Set the page's viewport (not the window, whose frame would take some of it) to WIDTH x height."""
    metrics = {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def full_page_png(driver: object, scale: float = 1.0) -> tuple[bytes, int]:
    """A screenshot of the whole page at WIDTH (PNG bytes, page height in CSS px)."""
    height = driver.execute_script("return document.documentElement.scrollHeight;")
    clip = {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": scale}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
    return base64.b64decode(shot["data"]), height


def check_report(driver: object, folder: Path) -> dict[str, object]:
    """Open folder/report.html at 1280x800, check it, save a full-page screenshot; return what was seen."""
    _viewport(driver, HEIGHT)
    driver.get((folder / "report.html").resolve().as_uri())
    seen = {
        "viewport": driver.execute_script("return [window.innerWidth, window.innerHeight];"),
        "broken images": driver.execute_script(BROKEN_IMAGES_JS),
        "images": driver.execute_script("return document.images.length;"),
        "too wide": driver.execute_script(OVERFLOW_JS),
        "summary bottom": driver.execute_script("return document.getElementById('summary').getBoundingClientRect().bottom;"),
        "rows": driver.execute_script(CLAIM_ROWS_JS),
    }
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    seen["too wide with details open"] = driver.execute_script(OVERFLOW_JS)
    seen["words broken"] = driver.execute_script(BROKEN_WORDS_JS)
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = false);")
    png, seen["height"] = full_page_png(driver)
    screenshot = folder / "run" / f"report-{WIDTH}x{HEIGHT}.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(png)
    seen["screenshot"] = screenshot
    return seen


def test_report_in_a_browser(browser: object, request: pytest.FixtureRequest) -> None:
    for folder in _reports(request):
        seen = check_report(browser, folder)
        claims = pd.read_csv(folder / "tables" / "claims.csv", dtype=str, keep_default_na=False)
        assert seen["viewport"] == [WIDTH, HEIGHT], seen["viewport"]
        assert seen["images"] > 0 and not seen["broken images"], (folder, seen["broken images"])
        assert not seen["too wide"], (folder, seen["too wide"])
        assert not seen["too wide with details open"], (folder, seen["too wide with details open"])
        assert not seen["words broken"], (folder, "table cells break inside a word", seen["words broken"])
        assert seen["summary bottom"] <= seen["viewport"][1], (folder, "summary below the first screen", seen["summary bottom"])
        assert seen["rows"] == dict(zip(claims["id"], claims["verdict"], strict=True)), folder
        assert seen["screenshot"].stat().st_size > 0
        print(f"{folder.name}: page {seen['height']} px high at {WIDTH} px; screenshot {seen['screenshot']}")
