import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_sign_in_page_is_swedish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html and "Användarnamn" in html and "Logga in" in html


def test_five_failures_lock_the_user_name_from_that_address(client, users):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "planner", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "planner", "password": "pw-planner"})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    other = client.post(reverse("login"), {"username": "reader", "password": "pw-reader"})
    assert other.status_code == 302


def test_correct_password_signs_in(client, users):
    response = client.post(reverse("login"), {"username": "reader", "password": "pw-reader"})
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


def test_pages_send_a_strict_content_security_policy(client, users):
    client.force_login(users["reader"])
    policy = client.get(reverse("core:dashboard")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_no_inline_scripts_or_styles_in_the_base_layout(client, users):
    client.force_login(users["reader"])
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html


@pytest.mark.django_db
def test_swedish_whatever_the_browser_asks_for_until_the_user_chooses(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in" in response.content.decode() and response.headers["Content-Language"] == "sv"
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Sign in" in client.get(reverse("login")).content.decode()
