import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internalcontrol.models import Control, ControlResult, Risk, RiskAssessment
from tests.internalcontrol.factories import add_action, make_control, make_risk, select
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)


@pytest.fixture
def itd_control(plan, org):
    risk = make_risk(org["rk"], owner=org["itd"], title="Risk för cyberattacker", scores={2025: (3, 4)})
    return make_control(select(plan, risk), periods=["T1", "T3"], responsible=org["itd"], title="Stickprov ITD")


@pytest.fixture
def hr_control(plan, org):
    risk = make_risk(org["rk"], owner=org["hr"], title="Risk för otydlig ansvarsfördelning", scores={2025: (2, 2)})
    return make_control(select(plan, risk, order=1), periods=["T1"], responsible=org["hr"], title="Enkät HR")


def result_url(control, period="T1"):
    return reverse("internalcontrol:result_entry", kwargs={"pk": control.pk, "period": period})


def result_data(**overrides):
    return {"outcome": "met", "text": "Uppfyllt.", "table_text": "", "version": "", **overrides}


def test_planner_enters_a_result_with_a_table_shown_back_as_a_table(client, users, itd_control):
    client.force_login(users["planner"])
    table = "Område; Antal dokument (ca); Procent\nIT och Digitalisering; 394; 8 %\nFastighet\t11\t0 %"
    response = client.post(result_url(itd_control), result_data(table_text=table))
    assert response.status_code == 302
    result = ControlResult.objects.get(control=itd_control, period="T1")
    assert result.table["rows"][0] == ["IT och Digitalisering", "394", "8 %"]
    assert result.history.first().history_user == users["planner"]
    html = client.get(reverse("internalcontrol:control_detail", args=[itd_control.pk])).content.decode()
    assert '<th scope="col">Antal dokument (ca)</th>' in html
    assert '<th scope="row">IT och Digitalisering</th>' in html and "<td>394</td>" in html and "<td>8 %</td>" in html
    edit = client.get(result_url(itd_control)).content.decode()
    assert "IT och Digitalisering; 394; 8 %" in edit and 'name="version" value="1"' in edit


def test_a_result_for_a_period_the_control_is_not_due_in_is_refused_with_a_clear_message(client, users, itd_control):
    client.force_login(users["planner"])
    page = client.get(result_url(itd_control, "T2"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="alert"' in html and "Stickprov ITD" in html and 'name="outcome"' not in html
    response = client.post(result_url(itd_control, "T2"), result_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Stickprov ITD" in html and "T2" in html and 'role="alert"' in html
    assert not ControlResult.objects.exists()
    assert client.get(result_url(itd_control, "T9")).status_code == 404


@pytest.mark.parametrize("who", ["reader", "controller", "nobody"])
def test_readers_and_controllers_change_nothing(client, users, itd_control, plan, who):
    client.force_login(users[who])
    risk = itd_control.selected_risk.risk
    posts = [
        (result_url(itd_control), result_data()),
        (reverse("internalcontrol:approve", kwargs=plan.url_kwargs()), {"version": 1}),
        (reverse("internalcontrol:control_edit", args=[itd_control.pk]), {"title": "X", "method": "survey"}),
        (reverse("internalcontrol:risk_edit", args=[risk.pk]), {"title": "X", "area": "finance"}),
        (reverse("internalcontrol:risk_assess", args=[risk.pk, 2025]), {"probability": 1, "consequence": 1}),
        (reverse("internalcontrol:action_create", args=[itd_control.pk]), {"description": "X"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not ControlResult.objects.exists()
    assert Risk.objects.get(pk=risk.pk).title == "Risk för cyberattacker"


def test_forged_posts_by_a_planner_of_another_unit_are_refused(client, users, hr_control, plan):
    client.force_login(users["planner"])  # ITD
    hr_risk = hr_control.selected_risk.risk
    assert client.post(result_url(hr_control), result_data()).status_code == 403
    assert client.post(reverse("internalcontrol:control_edit", args=[hr_control.pk]), {"title": "X"}).status_code == 403
    response = client.post(reverse("internalcontrol:risk_edit", args=[hr_risk.pk]), {"title": "X", "area": "finance"})
    assert response.status_code == 403
    assert client.post(reverse("internalcontrol:approve", kwargs=plan.url_kwargs()), {"version": 1}).status_code == 403
    assert not ControlResult.objects.exists()
    hr_control.refresh_from_db()
    assert hr_control.title == "Enkät HR"


def test_planner_proposes_a_risk_only_for_their_own_unit(client, users, org):
    client.force_login(users["planner"])
    url = reverse("internalcontrol:risk_create")
    data = {"title": "Risk för driftstörningar", "area": "operations", "unit": org["rk"].pk}
    data["owner_unit"] = org["itd"].pk
    assert client.post(url, data).status_code == 302
    risk = Risk.objects.get(title="Risk för driftstörningar")
    assert risk.owner_unit == org["itd"] and risk.history.first().history_user == users["planner"]
    response = client.post(url, {**data, "title": "Annan enhets risk", "owner_unit": org["hr"].pk})
    assert response.status_code == 400
    assert not Risk.objects.filter(title="Annan enhets risk").exists()


def test_planner_selects_a_risk_adds_a_control_and_scores_it(client, users, org, plan):
    risk = make_risk(org["rk"], owner=org["itd"], title="Risk för informationsläckage")
    client.force_login(users["planner"])
    response = client.post(reverse("internalcontrol:select_risk", kwargs=plan.url_kwargs()), {"risk": risk.pk})
    assert response.status_code == 302
    selected = risk.selections.get()
    itd = org["itd"].pk
    response = client.post(
        reverse("internalcontrol:control_create", args=[selected.pk]),
        {"title": "Granskning av loggar", "method": "review", "periods": ["T1", "T3"], "responsible_unit": itd},
    )
    assert response.status_code == 302
    assert Control.objects.get(title="Granskning av loggar").periods == ["T1", "T3"]
    response = client.post(
        reverse("internalcontrol:risk_assess", args=[risk.pk, 2025]), {"probability": 2, "consequence": 4}
    )
    assert response.status_code == 302
    assert RiskAssessment.objects.get(risk=risk, year=2025).score == 8
    html = client.get(reverse("internalcontrol:plan", kwargs=plan.url_kwargs())).content.decode()
    assert "Granskning av loggar" in html and result_url(Control.objects.get(title="Granskning av loggar")) in html


def test_secretary_approves_and_then_only_owners_change_the_controls(client, users, itd_control, plan):
    client.force_login(users["secretary"])
    response = client.post(reverse("internalcontrol:approve", kwargs=plan.url_kwargs()), {"version": 1})
    assert response.status_code == 302
    control_plan = itd_control.selected_risk.control_plan
    control_plan.refresh_from_db()
    assert control_plan.status == "approved" and control_plan.approved_by == users["secretary"]
    create = reverse("internalcontrol:control_create", args=[itd_control.selected_risk.pk])
    assert client.get(create).status_code == 200
    planner = Client()
    planner.force_login(users["planner"])
    assert planner.get(create).status_code == 403
    assert planner.get(reverse("internalcontrol:control_edit", args=[itd_control.pk])).status_code == 403
    assert planner.get(result_url(itd_control)).status_code == 200  # results are still theirs to enter


def test_approval_without_controls_is_refused_with_the_risk_named(client, users, org, plan):
    select(plan, make_risk(org["rk"], owner=org["itd"], title="Risk utan kontroll"))
    client.force_login(users["secretary"])
    response = client.post(reverse("internalcontrol:approve", kwargs=plan.url_kwargs()), {"version": 1})
    assert response.status_code == 400 and "Risk utan kontroll" in response.content.decode()


def test_a_decided_plan_locks_its_structure_but_takes_results(client, users, itd_control, plan):
    plan.stage = "decided"
    plan.save()
    client.force_login(users["secretary"])
    html = client.get(reverse("internalcontrol:plan", kwargs=plan.url_kwargs())).content.decode()
    for link in ("/select/", "/approve/", "/controls/new/"):
        assert link not in html
    edit = reverse("internalcontrol:control_edit", args=[itd_control.pk])
    assert client.post(edit, {"title": "X"}).status_code == 403
    assert client.post(result_url(itd_control), result_data()).status_code == 302
    assert ControlResult.objects.count() == 1


def test_two_sessions_the_second_result_save_is_refused(client, users, itd_control):
    ControlResult.objects.create(control=itd_control, period="T1", outcome="met", text="Först")
    other = Client()
    client.force_login(users["planner"])
    other.force_login(users["secretary"])
    assert client.post(result_url(itd_control), result_data(text="Planeraren", version=1)).status_code == 302
    response = other.post(result_url(itd_control), result_data(text="Sekreteraren", version=1))
    assert response.status_code == 409 and "Planeraren" in response.content.decode()
    assert ControlResult.objects.get().text == "Planeraren"


def test_the_action_list_marks_overdue_actions_in_text(client, users, itd_control, plan):
    today = datetime.date.today()
    add_action(itd_control, due=today - datetime.timedelta(days=3), description="Försenad åtgärd")
    add_action(itd_control, due=today - datetime.timedelta(days=30), status="done", description="Klar åtgärd")
    add_action(itd_control, due=today + datetime.timedelta(days=30), description="Kommande åtgärd")
    client.force_login(users["reader"])
    html = client.get(reverse("internalcontrol:action_list", kwargs=plan.url_kwargs())).content.decode()
    rows = {
        name: next(r for r in re.findall(r"<tr.*?</tr>", html, re.S) if name in r)
        for name in ("Försenad åtgärd", "Klar åtgärd", "Kommande åtgärd")
    }
    overdue = rows["Försenad åtgärd"]
    assert 'class="ic-overdue"' in overdue
    assert re.search(r'<span class="badge badge--bad">\s*\w+', overdue)  # a word, not only a colour
    assert "ic-overdue" not in rows["Klar åtgärd"] and "ic-overdue" not in rows["Kommande åtgärd"]
    assert html.index("Försenad åtgärd") < html.index("Kommande åtgärd") < html.index("Klar åtgärd")


def test_the_register_filters_by_area_owner_unit_level_and_text(client, users, org):
    rk = org["rk"]
    make_risk(rk, owner=org["itd"], title="Risk för cyberattacker", scores={2025: (3, 4), 2024: (2, 3)})
    make_risk(rk, owner=org["hr"], title="Risk för otydlig ansvarsfördelning", area="governance", scores={2025: (1, 2)})
    client.force_login(users["reader"])
    url = reverse("internalcontrol:risk_list")

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {t for t in ("Risk för cyberattacker", "Risk för otydlig ansvarsfördelning") if t in html}

    assert titles() == {"Risk för cyberattacker", "Risk för otydlig ansvarsfördelning"}
    assert titles(area="governance") == {"Risk för otydlig ansvarsfördelning"}
    assert titles(owner_unit=org["itd"].pk) == {"Risk för cyberattacker"}
    assert titles(level="very_high") == {"Risk för cyberattacker"}
    assert titles(level="low") == {"Risk för otydlig ansvarsfördelning"}
    assert titles(q="cyber") == {"Risk för cyberattacker"}
    html = client.get(url, {"year": 2025}).content.decode()
    assert "↑" in html and "6" in html  # moved up from 6
    partial = client.get(url, {"area": "governance"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="risk-table">') or partial.lstrip().startswith('<div id="risk-table">')
    assert "<html" not in partial


def populate(org, plan, count, offset=0):
    for n in range(count):
        owner = org["itd"] if n % 2 else org["hr"]
        risk = make_risk(
            org["rk"],
            owner=owner,
            title=f"Risk {offset + n}",
            area="operations" if n % 3 else "finance",
            scores={2025: (n % 4 + 1, (n + 1) % 4 + 1), 2024: ((n + 2) % 4 + 1, n % 4 + 1)},
        )
        make_control(select(plan, risk, order=offset + n), responsible=owner)


@pytest.mark.parametrize("url_name", ["internalcontrol:risk_list", "internalcontrol:matrix", "internalcontrol:plan"])
def test_register_matrix_and_plan_queries_do_not_grow_with_the_data(client, users, org, plan, url_name):
    url = reverse(url_name, kwargs={} if url_name.endswith("risk_list") else plan.url_kwargs())
    client.force_login(users["planner"])
    counts = []
    for count, offset in ((2, 0), (12, 100)):
        populate(org, plan, count, offset)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 16, counts
