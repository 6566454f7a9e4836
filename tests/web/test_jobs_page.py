"""The job queue's admin page and API (decision 051): administrators queue and retry; others get 403."""

from __future__ import annotations

from sqlalchemy import update
from webclient import csrf_from

from peaceops.store import jobs
from peaceops.store.jobs import Job


def test_an_administrator_queues_a_job_and_sees_it_with_its_state(signed_in, db_with_users):
    client = signed_in("admin")
    page = client.get("/admin/jobs")
    assert page.status_code == 200 and "No job has been queued yet." in page.text
    form = {"kind": "monitor", "level": "cm", "csrf_token": csrf_from(page.text)}
    answer = client.post("/admin/jobs", data=form, follow_redirects=True)
    assert "is queued; this page shows its progress." in answer.text
    assert '<meta http-equiv="refresh"' in answer.text  # refreshes while a job waits
    listed = client.get("/api/admin/jobs").json()["jobs"]
    assert [(j["kind"], j["status"], j["actor"]) for j in listed] == [("monitor", "queued", "admin")]
    with db_with_users.session() as session:
        assert session.get(Job, listed[0]["id"]).arguments == {"level": "cm"}


def test_the_api_refuses_imports_and_unknown_kinds(signed_in):
    client = signed_in("admin")
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/admin/jobs").text)
    for body in ({"kind": "import"}, {"kind": "reboot"}, {"kind": "monitor", "level": "district"}):
        answer = client.post("/api/admin/jobs", json=body)
        assert answer.status_code == 422, body
    made = client.post("/api/admin/jobs", json={"kind": "embed"})
    assert made.status_code == 201 and made.json()["status"] == "queued"


def test_a_failed_job_shows_its_reason_and_can_be_retried(signed_in, db_with_users):
    with db_with_users.write() as session:
        job_id = jobs.enqueue(session, "embed", {}, "cli", max_attempts=1).id
    assert jobs.claim(db_with_users, "w").id == job_id
    jobs.fail(db_with_users, job_id, "w", "The embedding cache folder is not writable.")
    client = signed_in("admin")
    page = client.get("/admin/jobs")
    assert "The embedding cache folder is not writable." in page.text and "Retry" in page.text
    client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": csrf_from(page.text)})
    with db_with_users.session() as session:
        assert session.get(Job, job_id).status == "queued"
    again = client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": csrf_from(page.text)})
    assert again.status_code == 404  # only a failed job is retried


def test_french_labels(signed_in, db_with_users):
    with db_with_users.write() as session:
        job_id = jobs.enqueue(session, "retrain", {}, "cli").id
        session.execute(update(Job).where(Job.id == job_id).values(status="running", step="retrain"))
    client = signed_in("admin")
    client.cookies.set("peaceops_lang", "fr")
    page = client.get("/admin/jobs").text
    assert "Réentraîner les classificateurs de communication" in page and "En cours" in page
