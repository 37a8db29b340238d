"""The print preview and the PDF download of a plan, and the links to them on the plan's overview."""

from django.urls import reverse

from followup.rendering import plan_render_html
from tests.planning.factories import add_section, make_plan


def test_the_overview_links_to_the_preview_and_the_pdf_download(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    client.force_login(users["reader"])

    page = client.get(plan.get_absolute_url()).content.decode()

    assert f'href="{reverse("followup:plan_preview", kwargs=plan.url_kwargs())}"' in page
    assert f'href="{reverse("followup:plan_pdf", kwargs=plan.url_kwargs())}" download' in page


def test_the_preview_is_the_pdfs_own_html_with_a_bar_to_go_back_and_download(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    add_section(plan, title="Inledning", body="Rad ett.\n\n<b>Rad två</b>")
    client.force_login(users["planner"])

    response = client.get(reverse("followup:plan_preview", kwargs=plan.url_kwargs()))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "<p>Rad ett.</p>" in html and "&lt;b&gt;Rad två&lt;/b&gt;" in html
    assert f'href="{reverse("followup:plan_pdf", kwargs=plan.url_kwargs())}" download' in html
    assert "style=" not in html and "<script" not in html  # the strict CSP holds
    printed = plan_render_html(plan=plan)
    assert printed[printed.index("<main") :] in html.replace(
        html[html.index('<nav class="preview-bar"') : html.index("<main")], ""
    )


def test_the_pdf_downloads_as_an_attachment(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    client.force_login(users["reader"])

    response = client.get(reverse("followup:plan_pdf", kwargs=plan.url_kwargs()))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="plan-{org["rk"].slug}-{plan.year}.pdf"'
    assert response.content.startswith(b"%PDF-1.7")


def test_an_unknown_plan_is_not_found(client, users, org):
    client.force_login(users["reader"])
    assert client.get(reverse("followup:plan_pdf", kwargs={"unit": "rk", "year": 1999})).status_code == 404
    assert client.get(reverse("followup:plan_preview", kwargs={"unit": "rk", "year": 1999})).status_code == 404
