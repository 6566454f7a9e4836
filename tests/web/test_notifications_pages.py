"""The notifications surfaces: /api/subscriptions (one's own only), the Follow button, the account section."""

from __future__ import annotations

import pytest
from webclient import csrf_from

from peaceops.access.policy import SYSTEM
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process

pytestmark = pytest.mark.data


@pytest.fixture
def process_id(db_with_users) -> int:
    with db_with_users.write() as s:
        return create_process(s, SYSTEM, ProcessDoc(name="Lakeside talks", conflict="Lakeside", phase="prevention")).id


def _token(client) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_from(client.get("/account").text)}


def test_the_api_lists_creates_and_deletes_only_ones_own_subscriptions(signed_in, process_id):
    ana, other = signed_in("analyst"), signed_in("viewer")
    made = ana.post("/api/subscriptions", json={"target_kind": "process", "target_key": str(process_id)},
                    headers=_token(ana))  # fmt: skip
    assert made.status_code == 201, made.text
    sub = made.json()
    assert sub["link"] == f"/processes/{process_id}" and sub["webhook_secret"] is None
    assert [s["id"] for s in ana.get("/api/subscriptions").json()["subscriptions"]] == [sub["id"]]
    assert other.get("/api/subscriptions").json()["subscriptions"] == []
    refused = other.delete(f"/api/subscriptions/{sub['id']}", headers=_token(other))
    assert refused.status_code == 404 and "no subscription" in refused.json()["detail"]
    bad = ana.post("/api/subscriptions", json={"target_kind": "region", "target_key": "Atlantis"}, headers=_token(ana))
    assert bad.status_code == 422
    helpdesk = other.post("/api/subscriptions", json={"target_kind": "helpdesk_request", "target_key": "1"},
                          headers=_token(other))  # fmt: skip
    assert helpdesk.status_code == 403
    assert ana.delete(f"/api/subscriptions/{sub['id']}", headers=_token(ana)).status_code == 204
    assert ana.get("/api/subscriptions").json()["subscriptions"] == []


def test_the_follow_button_follows_and_the_account_page_lists_and_removes(signed_in, process_id):
    ana = signed_in("analyst")
    page = ana.get(f"/processes/{process_id}")
    assert page.status_code == 200 and 'action="/subscriptions/follow"' in page.text
    token = csrf_from(ana.get("/account").text)
    form = {"csrf_token": token, "target_kind": "process", "target_key": str(process_id), "mode": "digest",
            "back": f"/processes/{process_id}"}  # fmt: skip
    followed = ana.post("/subscriptions/follow", data=form, follow_redirects=False)
    assert followed.status_code == 303 and followed.headers["location"] == f"/processes/{process_id}"
    account = ana.get("/account").text
    assert 'id="notifications"' in account and "Lakeside talks" in account and "daily digest" in account
    saved = ana.post("/account/email", data={"csrf_token": token, "email": "ana@example.org"})
    assert saved.status_code == 200 and 'value="ana@example.org"' in saved.text
    [sub] = ana.get("/api/subscriptions").json()["subscriptions"]
    gone = ana.post(f"/subscriptions/{sub['id']}/remove", data={"csrf_token": token})
    assert gone.status_code == 200 and ana.get("/api/subscriptions").json()["subscriptions"] == []
    elsewhere = ana.post("/subscriptions/follow", data={**form, "back": "https://evil.example.org/"},
                         follow_redirects=False)  # fmt: skip
    assert elsewhere.headers["location"] == "/account"
    with_hook = ana.post("/subscriptions/follow", data={**form, "webhook_url": "http://127.0.0.1:9/hook"})
    assert with_hook.status_code == 200 and 'id="webhook-secret"' in with_hook.text
