"""Printing never reads local files or the network: user text is escaped, and the URL fetcher serves only our static
files. A local server counts connection attempts, so "no fetch" is measured, not assumed."""

import socket
import threading

import pytest

from followup.rendering import (
    PRINT_ORIGIN,
    StaticOnlyFetcher,
    html_to_pdf,
    plan_render,
    plan_render_html,
)
from planning.models import Assignment
from tests.followup.conftest import probes
from tests.followup.pdf import flat, inflated, pages_text
from tests.planning.factories import add_section, make_plan


def test_the_counter_does_count(counter):
    """The test of the test: a real connection is seen."""
    with socket.create_connection(("127.0.0.1", counter.port), timeout=1):
        pass
    for _ in range(20):
        if counter.count:
            break
        threading.Event().wait(0.05)
    assert counter.count == 1


def test_markup_typed_into_a_plan_is_printed_as_text_and_nothing_is_fetched(org, counter):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    text = probes(counter.port)
    Assignment.objects.in_plan(plan).update(description=text)
    add_section(plan, title="Inledning", body=text)

    rendered = plan_render(plan=plan)

    assert rendered.fetcher.refused == []  # nothing but our stylesheet was even asked for
    assert rendered.fetcher.served == [f"{PRINT_ORIGIN}{'/static/css/print.css'}"]
    assert counter.count == 0
    printed = flat("\n".join(pages_text(rendered.data)))
    assert printed.count('<img src="file:///etc/passwd">') == 2  # once from the section, once from the assignment
    assert printed.count('<link rel="attachment" href="file:///etc/passwd">') == 2
    assert f'<img src="http://127.0.0.1:{counter.port}/x.png">' in printed
    objects = inflated(rendered.data)
    assert b"root:x:0:0" not in objects
    assert b"/EmbeddedFile" not in objects and b"/EmbeddedFiles" not in objects
    html = plan_render_html(plan=plan)
    assert "<img src=" not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_the_fetcher_refuses_every_other_address_even_in_our_own_markup(counter):
    """Should escaping ever fail, the fetcher still refuses: raw tags go straight to WeasyPrint here."""
    port = counter.port
    html = f"""<!doctype html><html lang="sv"><head><title>Prov</title>
      <link rel="stylesheet" href="/static/css/print.css">
      <link rel="stylesheet" href="/static/%2e%2e/%2e%2e/etc/passwd">
      <link rel="attachment" href="/static/css/print.css">
      <style>@import url("http://127.0.0.1:{port}/i.css");
        body {{ background: url("file:///etc/passwd") }}
        @font-face {{ font-family: X; src: url("https://127.0.0.1:{port}/f.ttf") }}</style>
      </head><body><p>Text</p>{probes(port)}
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      <img src="ftp://127.0.0.1:{port}/x.png"><img src="/etc/passwd"><img src="//127.0.0.1:{port}/x.png">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
        <image href="file:///etc/passwd" width="10" height="10"/>
        <image xlink:href="http://127.0.0.1:{port}/s.png" width="10" height="10"/></svg>
      </body></html>"""
    fetcher = StaticOnlyFetcher()

    rendered = html_to_pdf(html, fetcher=fetcher)

    assert counter.count == 0
    assert fetcher.served == [f"{PRINT_ORIGIN}/static/css/print.css"] * 2  # the stylesheet and the attachment
    refused = " ".join(fetcher.refused)
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        f"http://127.0.0.1:{port}/x.png",
        f"http://127.0.0.1:{port}/x.css",
        f"http://127.0.0.1:{port}/i.css",
        f"https://127.0.0.1:{port}/f.ttf",
        "data:image/svg+xml",
        f"ftp://127.0.0.1:{port}/x.png",
        f"{PRINT_ORIGIN}/etc/passwd",
        f"{PRINT_ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
    ):
        assert url in refused, url
    objects = inflated(rendered.data)
    assert b"root:x:0:0" not in objects
    assert rendered.pages == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://print.invalid/static/css/print.css",  # wrong scheme
        "https://print.invalid.example.org/static/css/print.css",
        "https://print.invalid/static/css/print.css?x=1",
        "https://print.invalid/static/",
        "https://print.invalid/static//etc/passwd",
        "https://print.invalid/static/../config/settings.py",
        "https://print.invalid/static/css/..%2f..%2fconfig/settings.py",
        "https://print.invalid/static/css/nothing-here.css",
        "https://print.invalid/media/upload.png",
        "data:text/plain,hello",
    ],
)
def test_only_existing_static_files_resolve(url):
    assert StaticOnlyFetcher.static_path(url) is None


def test_a_static_file_resolves_through_the_finders():
    path = StaticOnlyFetcher.static_path("https://print.invalid/static/css/print.css")
    assert path is not None and path.endswith("static/css/print.css")
