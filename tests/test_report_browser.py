"""The report in a real headless browser: Debian's chromium driven by Selenium through chromedriver.

`.ci/install-browser` installs chromium, chromium-driver and a CJK font on CI.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

from zhie.runners.batch import run
from zhie.runners.process import Processor
from zhie.text.read import decode
from zhie.views.report import build_report, page_name

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"
# The longest article of the corpus: its last marks lie several screens down.
LONG = "000_078717fdbfbf5f16"
SHORT = "024_zoomlion-jiangyin-base-signing"
WIDTH, HEIGHT = 1200, 800

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent: run .ci/install-browser (Debian chromium)",
)

IN_VIEW = """const r = arguments[0].getBoundingClientRect();
return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;"""
# A mark cut by another one continues in elements with data-ref: the full text is all pieces.
FULL_TEXT = """const id = arguments[0];
return [document.getElementById(id), ...document.querySelectorAll(`[data-ref="${id}"]`)]
    .map(e => e.textContent).join('');"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    articles = root / "articles"
    articles.mkdir()
    for name in (LONG, SHORT):
        shutil.copy(CORPUS / f"{name}.txt", articles / f"{name}.txt")
    run(
        articles,
        root / "out",
        processor=Processor(overrides={"components.zhie_ner.backend": "jieba"}),
        quiet=True,
    )
    build_report(root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    # The network is closed: no background fetches, updates, sync or first-run pages.
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        f"--window-size={WIDTH},{HEIGHT}",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    # An explicit chromedriver path keeps Selenium Manager from looking for (downloading) one.
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


def read(out: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def last_row(out: Path, table: str, offset: str) -> pd.Series:
    """The article's row of `table` with the largest `offset` (offsets as int)."""
    rows = read(out, table).query("article_id == @LONG")
    rows = rows.astype({c: int for c in ("start", "end", "first_start") if c in rows})
    return rows.nlargest(1, offset).iloc[0]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def click_and_check(driver, table: str, anchor: str) -> None:
    """Click the table row's link to `anchor` from the top of the page; the target must come into view."""
    from selenium.webdriver.common.by import By

    driver.execute_script("window.scrollTo(0, 0)")
    link = driver.find_element(By.CSS_SELECTOR, f'table.{table} a[href="#{anchor}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    target = driver.find_element(By.ID, anchor)
    before = driver.execute_script("return window.scrollY")
    assert not driver.execute_script(IN_VIEW, target), f"{anchor} is already in view"
    link.click()
    assert driver.execute_script("return location.hash") == f"#{anchor}"
    assert driver.execute_script(IN_VIEW, target), f"{anchor} not scrolled into view"
    assert driver.execute_script("return window.scrollY") > before


def test_article_page_in_chromium(run_dir, driver, tmp_path):
    from selenium.webdriver.common.by import By

    driver.get((run_dir / "report" / "index.html").as_uri())
    assert driver.title == f"zhie report: {run_dir.name}"
    index_png = tmp_path / "index.png"
    assert driver.save_screenshot(str(index_png))
    driver.find_element(
        By.CSS_SELECTOR, f'table.articles a[href="articles/{page_name(LONG)}"]'
    ).click()
    assert driver.current_url == (run_dir / "report" / "articles" / page_name(LONG)).as_uri()

    # Nothing is fetched: no stylesheet, font, script or image besides the page itself.
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert "Noto Sans CJK SC" in driver.execute_script(
        "return getComputedStyle(document.body).fontFamily"
    )

    mentions = read(run_dir, "mentions").query("article_id == @LONG")
    assert driver.execute_script(
        "return document.querySelectorAll('.text mark.ent').length"
    ) == len(mentions)
    ids = driver.execute_script(
        "return [...document.querySelectorAll('.text mark.ent[id]')].map(e => e.id)"
    )
    assert ids == [f"m-{s}" for s in mentions["start"]]
    # Highlights are coloured by label (displaCy's palette), not only outlined.
    org_mark = driver.find_element(By.CSS_SELECTOR, ".text mark.ent-ORG")
    assert org_mark.value_of_css_property("background-color") == "rgba(122, 236, 236, 1)"
    first = mentions.iloc[0]
    assert driver.find_element(By.ID, f"m-{first.start}").get_attribute("title") == (
        f"{first.label} · source: {first.source} · simplified: {first.text_simplified}"
    )

    original = decode(
        Path(read(run_dir, "articles").set_index("article_id").loc[LONG, "path"]).read_bytes()
    )[0]
    end_of = dict(zip(mentions["start"].astype(int), mentions["end"].astype(int), strict=True))
    # For people, organisations and figures, the row whose mark lies furthest down the text.
    person = last_row(run_dir, "people", "first_start")
    click_and_check(driver, "people", f"m-{person.first_start}")
    target = driver.find_element(By.ID, f"m-{person.first_start}")
    assert target.get_attribute("data-simplified") == person["name"]
    assert (
        target.get_attribute("textContent")
        == original[person.first_start : end_of[person.first_start]]
    )

    org = last_row(run_dir, "organisations", "first_start")
    click_and_check(driver, "organisations", f"m-{org.first_start}")
    assert (
        driver.find_element(By.ID, f"m-{org.first_start}").get_attribute("data-simplified")
        == org["name"]
    )

    figure = last_row(run_dir, "figures", "start")
    anchor = f"f-{figure.start}-{figure.end}"
    click_and_check(driver, "figures", anchor)
    row_text = driver.find_element(By.CSS_SELECTOR, f'table.figures a[href="#{anchor}"]').text
    assert (
        row_text == driver.execute_script(FULL_TEXT, anchor) == original[figure.start : figure.end]
    )

    article_png = tmp_path / "article.png"
    assert driver.save_screenshot(str(article_png))
    ratio = driver.execute_script("return window.devicePixelRatio")
    viewport = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    for png in (index_png, article_png):
        data = png.read_bytes()
        assert png_size(data) == (round(viewport[0] * ratio), round(viewport[1] * ratio))
        assert len(data) > 20_000  # a blank page of this size compresses to a few kB
