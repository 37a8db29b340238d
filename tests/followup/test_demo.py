"""The demo follow-up report 1 2023, loaded from seed 004, reads as the document does."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from budget.calculations import outcome_table
from core.demo import DEMO_REASON, FIXTURE_DIR, load_fixture
from core.formatting import sv_money
from followup.models import BreakdownValue, FollowUpReport, IndicatorOutcome, ReportText, StatusUpdate
from planning.models import Plan

FIXTURE = "40_followup_2023.json"
ASSIGNMENTS = [
    "Utveckla system för digital orientering och information",
    "Utveckla och införa ett nytt schemaverktyg",
    "Utveckla och införa ett nytt intranät och förnyat ledningssystem",
    "Stärkt service och transparens gentemot invånare",
    "Systematisk informationssäkerhet",
    "Internt klimat- och miljöarbete",
    "Intern hållbar resursanvändning",
    "Intern social hållbarhet",
    "Krisberedskap och robusthet",
    "Hälsoinnovation och AI",
    "Utbildning och kompetens",
]
MODELS = (FollowUpReport, ReportText, StatusUpdate, IndicatorOutcome, BreakdownValue)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("demo", force_demo_users=True, stdout=out)
        first = counts()
        call_command("demo", force_demo_users=True, stdout=out)  # idempotent: the second run skips
        plan = Plan.objects.get(unit__slug="regionkontoret", year=2023)
        report = FollowUpReport.objects.select_related("period").get(plan=plan)
        outcomes = {
            o.indicator.name: {
                "value": o.value,
                "target": o.indicator.target_for(2023),
                "analysis": o.analysis,
                "breakdown": [(b.dimension, b.label, b.value) for b in o.breakdown.all()],
            }
            for o in report.indicator_outcomes.select_related("indicator")
        }
        result = {
            "log": out.getvalue(),
            "first": first,
            "second": counts(),
            "reports": FollowUpReport.objects.count(),
            "report": {"status": report.status, "assessment": report.assessment, "period": str(report.period)},
            "texts": dict(report.texts.values_list("key", "body")),
            "statuses": [
                (u.assignment.title if u.assignment_id else u.activity.title, u.status, u.comment, bool(u.activity_id))
                for u in report.status_updates.select_related("assignment", "activity")
            ],
            "outcomes": outcomes,
            "unlabelled_history": sum(
                model.history.exclude(history_change_reason=DEMO_REASON).count() for model in MODELS
            ),
            "forecast_deviation": {month: outcome_table(plan, month).total.forecast_deviation for month in (2, 4)},
        }
        call_command("flush", interactive=False, verbosity=0)
    return result


def test_the_demo_loads_the_report_once(demo):
    assert "40_followup_2023.json: follow-up report regionkontoret/2023 T1: 8 texts, 13 statuses" in demo["log"]
    assert "follow-up report regionkontoret/2023 T1 exists, skipped" in demo["log"]
    assert demo["first"] == demo["second"]
    assert demo["reports"] == 1
    assert demo["unlabelled_history"] == 0  # every history row written by the demo says "Demodata"


def test_the_report_is_a_draft_of_t1_with_everything_on_track(demo):
    assert demo["report"] == {"status": "draft", "assessment": "on_track", "period": "T1 2023"}


def test_eleven_assignments_and_two_work_environment_activities_have_statuses(demo):
    assignments = [s for s in demo["statuses"] if not s[3]]
    activities = [s for s in demo["statuses"] if s[3]]
    assert [s[0] for s in assignments] == ASSIGNMENTS
    assert [s[0] for s in activities] == [
        "Utveckla hållbara former för platsoberoende arbetssätt",
        "Förbättra chefers förutsättningar",
    ]
    assert {s[1] for s in demo["statuses"]} == {"on_track"}
    comments = {title: comment for title, _status, comment, _activity in demo["statuses"]}
    assert comments["Utveckla system för digital orientering och information"].startswith(
        "Regionkontoret leder och samordnar arbetet med att utveckla och förbättra tillgängligheten"
    )
    assert comments["Systematisk informationssäkerhet"].endswith("avvikelse- och incidenthantering har påbörjats.")
    assert comments["Förbättra chefers förutsättningar"].endswith(
        "HR-partnerstöd har från och med april utökats med 50 procent i omfattning."
    )


def test_comments_are_clean_prose_in_paragraphs(demo):
    comments = {title: comment for title, _status, comment, _activity in demo["statuses"]}
    for title, comment in comments.items():
        assert "-\n" not in comment, title
        assert "Uppdraget bidrar till" not in comment, title  # the report states it from the plan's goal links
        assert "\n\n\n" not in comment and comment == comment.strip(), title
    assert len(comments["Intern hållbar resursanvändning"].split("\n\n")) == 6
    assert len(comments["Hälsoinnovation och AI"].split("\n\n")) == 2
    text = "\n".join(comments.values())
    for joined in ("bemanningsverktyg", "funktionalitet", "cyberattacker", "säkerställa/ kvalitetssäkra energidata"):
        assert joined in text  # words the extraction hyphenated at line ends
    for kept in ("IT-säkerheten", "avyttrings-& inköpsprocess", "struktur- och innehållsutveckling"):
        assert kept in text


def test_staff_turnover_and_sick_leave_against_their_targets(demo):
    turnover = demo["outcomes"]["Personalomsättning"]
    assert (turnover["value"], turnover["target"]) == (Decimal("11.15"), Decimal("11"))
    assert turnover["breakdown"] == [
        ("gender", "Kvinnor", Decimal("12.46")),
        ("gender", "Män", Decimal("9.49")),
        ("age_band", "20–29 år", Decimal("34.71")),
    ]
    assert turnover["analysis"].startswith("Regionkontorets personalomsättning ligger marginellt över målvärdet.")
    assert len(turnover["analysis"].split("\n\n")) == 4
    sick = demo["outcomes"]["Sjukfrånvaro"]
    assert (sick["value"], sick["target"], sick["breakdown"]) == (Decimal("2.58"), Decimal("5.2"), [])
    assert "De äldsta åldersgrupperna har en något högre sjukfrånvaro än de yngre." in sick["analysis"]
    assert set(demo["outcomes"]) == {"Personalomsättning", "Sjukfrånvaro"}


def test_the_report_texts(demo):
    texts = demo["texts"]
    assert set(texts) == {
        "summary", "operations", "result", "forecast", "forecast_change", "investments", "investment_forecast",
        "internal_control",
    }  # fmt: skip
    summary = texts["summary"]
    assert summary.startswith("Regionkontoret som ledningskontor")
    assert len(summary.split("\n\n")) == 4
    assert "uppdraget att leda och samordna" in summary and "social hållbarhetsberedning" in summary
    assert summary.endswith("bristen på personella resurser för att driva utvecklingsprojekt.")
    paragraphs = texts["forecast"].split("\n\n")
    assert [paragraphs.index(heading) for heading in ("Regionkontoret", "Förtroendevalda", "Utvecklingsmedel")] == [
        1, 7, 9,
    ]  # fmt: skip
    assert texts["forecast_change"].startswith("Prognosen är förändrad med +24,7 mnkr jämfört med månadsrapporten")
    assert "FVIS-programmet" in texts["result"]
    assert texts["investments"].startswith("Utfallet för perioden januari-april är 14,0 mnkr.")
    assert texts["investment_forecast"].endswith("hur inflationen och samhällsekonomin utvecklas.")
    assert texts["internal_control"].endswith("innehåller två kontrollmoment.")
    assert texts["operations"].endswith("under verksamhetsområdet IT och digitalisering.")
    for key, body in texts.items():
        assert "-\n" not in body and "\n\n\n" not in body, key


def test_the_forecast_changed_by_24_7_mnkr_since_february(demo):
    before, now = demo["forecast_deviation"][2], demo["forecast_deviation"][4]
    assert before == 0
    assert sv_money(now - before, "mnkr") == "24,7"


@pytest.mark.django_db
def test_loading_without_the_plan_fails_clearly():
    load_fixture(FIXTURE_DIR / "00_units.json")
    with pytest.raises(ImproperlyConfigured, match="no such plan 'regionkontoret/2023'"):
        load_fixture(FIXTURE_DIR / FIXTURE)
    assert not FollowUpReport.objects.exists()
