import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in


def test_planner_signs_in_lands_on_dashboard_and_signs_out(page, demo):
    sign_in(page, "planerare")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen, Petra")
    expect(page.get_by_text("IT och Digitalisering")).to_be_visible()
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_wrong_password_shows_a_swedish_error(page, demo):
    sign_in(page, "planerare", password="fel-lösenord")
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_administrator_sees_the_admin_link(page, demo):
    sign_in(page, "admin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Webbplatsadministration")).to_be_visible()


def test_keyboard_user_can_skip_to_content(page, demo):
    sign_in(page, "lasare")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_sign_in_page_and_dashboard_are_accessible(page, demo):
    page.goto("/login/")
    assert_accessible(page)
    sign_in(page, "planerare")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
