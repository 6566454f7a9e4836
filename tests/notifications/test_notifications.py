"""Notifications end to end: subscriptions, the outbox written by the domains, the sender against a real
SMTP server and a webhook receiver on loopback, the access policy asked again at send time; both databases."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
from datetime import date, timedelta
from email.header import decode_header, make_header
from email.message import Message

import pytest
from sqlalchemy import select
from support.conflict import stored_run

from peaceops.access import compartments
from peaceops.access.models import User
from peaceops.access.policy import SYSTEM, Actor
from peaceops.access.users import add_user
from peaceops.errors import NotFound, PermissionDenied, ValidationFailed
from peaceops.i18n import use_locale
from peaceops.notifications import follow, list_own, send_pending, set_email, unfollow
from peaceops.notifications.models import Delivery
from peaceops.processes.debriefs import DebriefDoc, create_debrief
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process, update_process
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.store.base import utcnow
from peaceops.store.outbox import NotificationEvent

SECRET_TEXT = "the commander will defect on Tuesday"


def subject(message: Message) -> str:
    """A message's subject as a person reads it (a non-ASCII subject travels encoded, a long one folded)."""
    return re.sub(r"\r?\n(?=[ \t])", "", str(make_header(decode_header(message["Subject"]))))


def person(db: Database, name: str, role: str = "analyst", *, address: str | None = None) -> Actor:
    with db.write() as s:
        user = add_user(s, name, "correct horse battery", role)
        user.email = address if address is not None else f"{name}@example.org"
        s.flush()
        return Actor(username=name, role=role, id=user.id)


def a_process(db: Database, name: str = "Lakeside talks") -> int:
    with db.write() as s:
        return create_process(s, SYSTEM, ProcessDoc(name=name, conflict="Lakeside", phase="prevention")).id


def change_phase(db: Database, process_id: int, phase: str) -> None:
    with db.write() as s:
        update_process(s, SYSTEM, process_id, ProcessDoc(phase=phase))  # type: ignore[arg-type]


def test_a_phase_change_sends_one_email_with_the_link_and_a_rerun_sends_nothing(db, smtp, mail_settings):
    inbox, _ = smtp
    ana = person(db, "ana")
    pid = a_process(db)
    with db.write() as s:
        follow(s, ana, "process", str(pid))
    change_phase(db, pid, "negotiation")
    with db.session() as s:
        assert [e.event for e in s.scalars(select(NotificationEvent))] == ["phase"], "written with the change"
    first = send_pending(db, mail_settings)
    assert (first.sent, first.failed, first.withheld) == (1, 0, 0)
    [message] = inbox.messages
    assert message["To"] == "ana@example.org" and message["From"] == "peaceops@example.org"
    body = inbox.bodies()[0]
    assert f"https://peaceops.example.org/processes/{pid}" in body and "Lakeside talks" in body
    assert "changed phase" in body
    again = send_pending(db, mail_settings)
    assert (again.sent, again.fanned_out) == (0, 0) and len(inbox.messages) == 1


def test_a_digest_groups_the_days_changes_into_one_message_once_the_day_is_over(db, smtp, mail_settings):
    inbox, _ = smtp
    ana = person(db, "ana")
    first, second = a_process(db, "North talks"), a_process(db, "South talks")
    with db.write() as s:
        follow(s, ana, "process", str(first), mode="digest")
        follow(s, ana, "process", str(second), mode="digest")
    change_phase(db, first, "negotiation")
    change_phase(db, second, "negotiation")
    change_phase(db, first, "implementation")
    today = send_pending(db, mail_settings)
    assert today.sent == 0 and not inbox.messages, "the day is not over"
    tomorrow = utcnow() + timedelta(days=1)
    report = send_pending(db, mail_settings, now=tomorrow)
    assert report.sent == 1
    [body] = inbox.bodies()
    assert "Digest" in inbox.messages[0]["Subject"]
    with db.session() as s:
        events = [e.event for e in s.scalars(select(NotificationEvent).order_by(NotificationEvent.id))]
    # implementation with no agreement on record raises a new coordination warning: a change of its own
    assert events == ["phase", "phase", "phase", "coordination"]
    assert body.count("/processes/") == 4 and "North talks" in body and "South talks" in body
    assert "new coordination warning" in body
    assert send_pending(db, mail_settings, now=tomorrow).sent == 0 and len(inbox.messages) == 1


def test_a_webhook_receives_a_json_post_signed_with_the_subscriptions_secret(db, webhook, mail_settings):
    hooks, url = webhook
    ana = person(db, "ana")
    pid = a_process(db)
    with db.write() as s:
        created = follow(s, ana, "process", str(pid), email=False, webhook_url=url)
    assert created.webhook_secret and len(created.webhook_secret) >= 32
    with db.session() as s:
        assert all(not hasattr(sub, "webhook_secret") for sub in list_own(s, ana).subscriptions), "shown once"
    change_phase(db, pid, "negotiation")
    assert send_pending(db, mail_settings).sent == 1
    [(headers, body)] = hooks.calls
    expected = "sha256=" + hmac.new(created.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-peaceops-signature"], expected)
    assert headers["content-type"] == "application/json"
    payload = json.loads(body)
    assert payload["target"] == {"kind": "process", "id": pid} and payload["event"] == "phase"
    assert payload["link"] == f"https://peaceops.example.org/processes/{pid}"
    assert send_pending(db, mail_settings).sent == 0 and len(hooks.calls) == 1


def test_a_debrief_tells_holders_only_that_the_process_changed_and_a_revoked_holder_nothing(db, smtp, mail_settings):
    inbox, _ = smtp
    pid = a_process(db)
    holder, former, outsider = person(db, "holder"), person(db, "former"), person(db, "outsider")
    with db.write() as s:
        for name in ("holder", "former"):
            compartments.grant(s, name, f"process:{pid}", actor="admin")
        for who in (holder, former, outsider):
            follow(s, who, "process", str(pid))
    writer = Actor(username="writer", role="analyst", compartments=frozenset({f"process:{pid}"}))
    with db.write() as s:
        doc = DebriefDoc(author="E. Envoy", period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
                         what_worked=SECRET_TEXT, open_issues=SECRET_TEXT)  # fmt: skip
        create_debrief(s, writer, pid, doc)
    with db.write() as s:
        compartments.revoke(s, "former", f"process:{pid}", actor="admin")
    report = send_pending(db, mail_settings)
    assert (report.sent, report.withheld) == (1, 2)
    [message] = inbox.messages
    assert message["To"] == "holder@example.org"
    body = inbox.bodies()[0]
    assert "The process changed." in body and SECRET_TEXT not in body and "debrief" not in body.lower()
    with db.session() as s:
        statuses = {d.status for d in s.scalars(select(Delivery))}
    assert statuses == {"sent", "withheld"}
    assert send_pending(db, mail_settings).sent == 0


def test_smtp_down_keeps_the_notification_pending_with_the_reason_and_retries_later(db, smtp, mail_settings):
    inbox, _ = smtp
    ana = person(db, "ana")
    pid = a_process(db)
    with db.write() as s:
        follow(s, ana, "process", str(pid))
    change_phase(db, pid, "negotiation")
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        down = mail_settings.model_copy(update={"smtp_port": sock.getsockname()[1]})
        report = send_pending(db, down)
    assert (report.sent, report.failed) == (0, 1)
    assert "SMTP server 127.0.0.1" in report.problems[0] and "retried" in report.problems[0]
    with db.session() as s:
        [delivery] = s.scalars(select(Delivery))
        assert delivery.status == "pending" and delivery.attempts == 1 and "SMTP server" in delivery.last_error
        retry_at = delivery.next_attempt_at
        assert [sub.last_error for sub in list_own(s, ana).subscriptions] == [delivery.last_error]
    assert send_pending(db, mail_settings).sent == 0, "not before its next attempt"
    assert send_pending(db, mail_settings, now=retry_at).sent == 1 and len(inbox.messages) == 1


def test_no_smtp_server_or_no_address_is_a_pending_reason_not_a_crash(db, tmp_path):
    ana = person(db, "ana", address="")
    pid = a_process(db)
    with db.write() as s:
        s.get(User, ana.id).email = None  # type: ignore[union-attr]
        follow(s, ana, "process", str(pid))
    change_phase(db, pid, "negotiation")
    report = send_pending(db, Settings(var_dir=tmp_path / "var", secret_key="t" * 40))
    assert report.failed == 1 and "account page" in report.problems[0]


def test_people_see_and_remove_only_their_own_subscriptions(db):
    ana, ben = person(db, "ana"), person(db, "ben")
    with db.write() as s:
        mine = follow(s, ana, "region", "middle africa")
        follow(s, ben, "alert_rule", "escalation:cm")
    assert mine.target_key == "017" and mine.link == "/regions/017"
    with db.session() as s:
        assert [x.target_key for x in list_own(s, ben).subscriptions] == ["escalation:cm"]
    with db.write() as s, pytest.raises(NotFound):
        unfollow(s, ben, mine.id)
    with db.write() as s:
        unfollow(s, ana, mine.id)
    with db.session() as s:
        assert list_own(s, ana).subscriptions == []


def test_what_a_subscription_follows_is_named_in_the_readers_language(db):
    ana = person(db, "ana")
    with db.write() as s:
        follow(s, ana, "region", "middle africa")
        follow(s, ana, "alert_rule", "spillover:pgm")
    for language, expected in (
        ("en", ["Alerts in Middle Africa", "Spillover alerts (grid cells)"]),
        ("fr", ["Alertes : Afrique centrale", "Alertes de débordement (cellules de grille)"]),
    ):
        with db.session() as s, use_locale(language):
            assert sorted(x.label for x in list_own(s, ana).subscriptions) == sorted(expected)


@pytest.mark.parametrize(
    ("kind", "key", "options", "error"),
    [
        ("alert_rule", "panic:cm", {}, ValidationFailed),
        ("region", "Atlantis", {}, ValidationFailed),
        ("process", "999", {}, NotFound),
        ("process", "seven", {}, ValidationFailed),
        ("weather", "1", {}, ValidationFailed),
        ("alert_rule", "escalation:cm", {"webhook_url": "ftp://x.example.org"}, ValidationFailed),
        ("alert_rule", "escalation:cm", {"email": False}, ValidationFailed),
        ("alert_rule", "escalation:cm", {"mode": "hourly"}, ValidationFailed),
    ],
)
def test_a_bad_subscription_is_refused_with_a_reason(db, kind, key, options, error):
    ana = person(db, "ana")
    with db.write() as s, pytest.raises(error):
        follow(s, ana, kind, key, **options)


def test_a_viewer_cannot_follow_a_helpdesk_request_and_emails_are_checked(db):
    viewer = person(db, "vera", "viewer")
    with db.write() as s, pytest.raises(PermissionDenied):
        follow(s, viewer, "helpdesk_request", "1")
    with db.write() as s:
        assert set_email(s, viewer, " vera@example.org ") == "vera@example.org"
        with pytest.raises(ValidationFailed):
            set_email(s, viewer, "not an address")


@pytest.mark.data
def test_following_an_alert_rule_then_running_detection_sends_one_email_per_alert(db, data_dir, smtp, mail_settings):
    from peaceops.conflict.alerts import AlertRules, detect, set_status
    from peaceops.conflict.forecast import ForecastConfig
    from peaceops.conflict.models import ConflictAlert
    from peaceops.conflict.monitoring import forecast_run
    from peaceops.platform import import_file

    inbox, _ = smtp
    var = mail_settings.var_dir
    import_file(db, "ucdp-ged", data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz", "t", var_dir=var)
    ana, ben = person(db, "ana"), person(db, "ben")
    with db.write() as s:
        for kind in ("early_entry", "escalation", "spillover"):
            follow(s, ana, "alert_rule", f"{kind}:cm")
        follow(s, ben, "region", "017", mode="digest")  # Middle Africa: the Central African Republic
        follow(s, ben, "alert_rule", "escalation:pgm")  # never fires at country level
    loose = AlertRules(early_entry=0.0, escalation=0.0, spillover=0.0, rise=-1.0)
    with db.write() as s:
        run, panel, _ = forecast_run(s, var, "cm", cutoff=date(2019, 12, 1), horizon=3, actor="t",
                                     config=ForecastConfig(n_estimators=20, max_train_months=60))  # fmt: skip
        detect(s, run, panel, var, "t", loose)
    with db.session() as s:
        alerts = list(s.scalars(select(ConflictAlert)))
    assert alerts
    report = send_pending(db, mail_settings)
    assert report.sent == len(alerts) and {m["To"] for m in inbox.messages} == {"ana@example.org"}
    for alert in alerts:
        [body] = [b for b in inbox.bodies() if f"/conflict/alerts/{alert.id}\r\n" in b]
        assert f"https://peaceops.example.org/conflict/alerts/{alert.id}" in body and "A new alert was raised." in body
        assert alert.summary not in body and str(alert.risk) not in body, "a title and a link, not the evidence"
    with db.write() as s:
        detect(s, s.get(type(run), run.id), panel, var, "t", loose)  # the same run again: nothing new to tell
        set_status(s, alerts[0].id, "acknowledged", Actor(username="an", role="analyst"), note="seen by the JMAC")
    assert send_pending(db, mail_settings).sent == 1
    assert "The alert is now acknowledged." in inbox.bodies()[-1] and "JMAC" not in inbox.bodies()[-1]
    digest = send_pending(db, mail_settings, now=utcnow() + timedelta(days=1))
    assert digest.sent == 1 and inbox.messages[-1]["To"] == "ben@example.org"
    assert inbox.bodies()[-1].count("/conflict/alerts/") == len(alerts) + 1


def test_helpdesk_status_moves_are_told_and_withheld_from_who_can_no_longer_read_requests(db, smtp, mail_settings):
    from peaceops.roster.helpdesk import RequestData, file_request, move_request

    inbox, _ = smtp
    ana, ben = person(db, "ana"), person(db, "ben")
    with db.write() as s:
        request = file_request(s, ana, RequestData(
            title="Constitution drafting adviser", expertise="constitution-making", languages=("fr",),
            region="Middle Africa", urgency="high", needed_from=date(2027, 1, 1), needed_to=date(2027, 3, 1),
            description=SECRET_TEXT,
        ))  # fmt: skip
        rid = request.id
        follow(s, ana, "helpdesk_request", str(rid))
        follow(s, ben, "helpdesk_request", str(rid))
    with db.write() as s:
        s.get(User, ben.id).role = "viewer"  # type: ignore[union-attr]  (viewers do not read helpdesk requests)
    with db.write() as s:
        move_request(s, ana, rid, "cancelled", note=SECRET_TEXT)
    report = send_pending(db, mail_settings)
    assert (report.sent, report.withheld) == (1, 1)
    [body] = inbox.bodies()
    assert inbox.messages[0]["To"] == "ana@example.org" and f"/helpdesk/{rid}" in body
    assert "The request is now cancelled." in body and SECRET_TEXT not in body


def test_an_email_is_written_in_the_recipients_language_and_a_webhook_stays_in_english(
    db, smtp, mail_settings, webhook
):
    """E-mails follow each recipient's language (``app_user.locale``): the same change reaches a French-speaking
    officer in French and an English-speaking one in English; a webhook's JSON is for programs, in English."""
    inbox, _ = smtp
    hooks, url = webhook
    ana, bea = person(db, "ana"), person(db, "bea")
    with db.write() as s:
        s.get(User, bea.id).locale = "fr"  # type: ignore[union-attr]
    pid = a_process(db)
    with db.write() as s:
        follow(s, ana, "process", str(pid))
        follow(s, bea, "process", str(pid), webhook_url=url)
    change_phase(db, pid, "negotiation")
    report = send_pending(db, mail_settings)
    assert report.sent == 3 and report.failed == 0
    by_address = {m["To"]: (m, body) for m, body in zip(inbox.messages, inbox.bodies(), strict=True)}
    english, english_body = by_address["ana@example.org"]
    french, french_body = by_address["bea@example.org"]
    assert subject(english) == "[peaceops] Lakeside talks: The process changed phase."
    assert "You receive this because you follow it." in english_body
    assert subject(french) == "[peaceops] Lakeside talks\u00a0: Le processus a changé de phase."
    assert "Le processus a changé de phase." in french_body and "Vous recevez ce message" in french_body
    assert "changed phase" not in french_body and f"https://peaceops.example.org/processes/{pid}" in french_body
    [(_headers, body)] = hooks.calls
    assert json.loads(body)["change"] == "The process changed phase."


def an_alert(db: Database, kind: str = "early_entry") -> int:
    """A grid-cell alert in the Central African Republic whose evidence holds the facts its texts are written from."""
    from peaceops.conflict.models import ConflictAlert

    evidence = {"risk": 0.42, "risk_before": 0.12, "expected_next_3": 3.0, "sb_best_roll3": 0, "neighbours": [],
                "observed": [], "forecast": [], "events": []}  # fmt: skip
    with db.write() as s:
        run = stored_run(s, "pgm")
        alert = ConflictAlert(kind=kind, level="pgm", unit_id=137921, country_gw=482, run_id=run.id, cutoff=run.cutoff,
                              risk=0.42, risk_before=0.12, evidence=evidence, summary="(stored)", status="new", note="",
                              updated_by="t")  # fmt: skip
        s.add(alert)
        s.flush()
        return alert.id


def test_an_alert_is_named_in_each_followers_language_and_in_english_to_a_webhook(db, smtp, mail_settings, webhook):
    from peaceops.conflict.alerts import set_status

    inbox, _ = smtp
    hooks, url = webhook
    ana, bea = person(db, "ana"), person(db, "bea")
    with db.write() as s:
        s.get(User, bea.id).locale = "fr"  # type: ignore[union-attr]
        follow(s, ana, "alert_rule", "early_entry:pgm")
        follow(s, bea, "region", "017", webhook_url=url)  # Middle Africa: the Central African Republic
    alert_id = an_alert(db)
    with db.write() as s:
        set_status(s, alert_id, "acknowledged", Actor(username="an", role="analyst"), note=SECRET_TEXT)
    report = send_pending(db, mail_settings)
    assert report.sent == 3 and report.failed == 0
    by_address = {m["To"]: (m, body) for m, body in zip(inbox.messages, inbox.bodies(), strict=True)}
    english, english_body = by_address["ana@example.org"]
    french, french_body = by_address["bea@example.org"]
    cell_en = "Cell 137921 (5.75N, 20.25E), Central African Republic"
    cell_fr = "Cellule 137921 (5,75\u00a0N\u00a0; 20,25\u00a0E), République centrafricaine"
    assert subject(english) == f"[peaceops] Early entry alert: {cell_en}: The alert is now acknowledged."
    assert subject(french) == (
        f"[peaceops] Alerte d’entrée précoce\u00a0: {cell_fr}\u00a0: L’alerte est désormais prise en compte."
    )
    assert f"Alerte d’entrée précoce\u00a0: {cell_fr}" in french_body and "Early entry" not in french_body
    for body in (english_body, french_body):
        assert SECRET_TEXT not in body and "42" not in body, "the title and a link, never the note or the evidence"
    [(_headers, hook)] = hooks.calls
    assert json.loads(hook)["title"] == f"Early entry alert: {cell_en}", "a webhook is read by programs, in English"
