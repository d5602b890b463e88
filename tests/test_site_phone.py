"""make site at a phone's width (390 px), every page, as tests/test_site.py checks it at 1280 px:
a module of its own so that the two widths run on two cores."""

import pytest
from browsing import page_problems, require_browser

pytestmark = [pytest.mark.slow, pytest.mark.first(order=4)]
require_browser()


def test_every_page_works_at_phone_width(site, browser):
    problems = page_problems(browser, site, 390)
    assert problems == [], "\n".join(problems)
