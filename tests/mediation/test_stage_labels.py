"""PA-X stage codes are shown with the codebook's label wherever a page, an API answer or an export shows a
stage (issue 17: "Cea" alone means nothing to a mediator)."""

from __future__ import annotations

from peaceops.access.policy import SYSTEM
from peaceops.agreements.categories import STAGES, stage_code, stage_label
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process

# The seven stages as the PA-X codebook v4 ("Stage: Agreement stage") names them.
CODEBOOK = {
    "Pre": "Pre-negotiation/process",
    "SubPar": "Framework-substantive, partial",
    "SubComp": "Framework-substantive, comprehensive",
    "Imp": "Implementation/renegotiation",
    "Cea": "Ceasefire/related",
    "Ren": "Renewal",
    "Oth": "Other",
}


def test_the_stage_labels_are_the_codebooks_and_codes_labels_or_their_first_word_find_the_code():
    assert STAGES == CODEBOOK
    assert stage_label("Cea") == "Ceasefire/related" and stage_label("Xyz") == "Xyz" and stage_label(None) is None
    assert [stage_code(t) for t in ("cea", "Ceasefire", "ceasefire/related", "Implementation", "nothing")] == [
        "Cea", "Cea", "Cea", "Imp", None,
    ]  # fmt: skip


def test_a_process_page_its_api_and_timeline_show_the_stage_label_beside_the_code(subset_db, subset_api):
    with subset_db.session() as s:
        doc = ProcessDoc(name="Stage labels", conflict="Afghanistan", phase="implementation", agreements=[319, 482])
        process_id = create_process(s, SYSTEM, doc).id
    body = subset_api.get(f"/api/processes/{process_id}").json()
    stages = sorted((a["pax_id"], a["stage"], a["stage_label"]) for a in body["agreements"])
    assert stages == [(319, "Cea", "Ceasefire/related"), (482, "SubPar", "Framework-substantive, partial")]
    page = subset_api.get(f"/processes/{process_id}").text
    assert 'Ceasefire/related <span class="muted small">(Cea)</span>' in page
    assert "<td>Cea</td>" not in page
    notes = [e["detail"] for e in subset_api.get(f"/api/processes/{process_id}/timeline").json()["events"]]
    assert "PA-X 319; stage: Ceasefire/related" in notes
    agreement_id = next(a["id"] for a in body["agreements"] if a["pax_id"] == 319)
    assert "Ceasefire/related" in subset_api.get(f"/agreements/{agreement_id}").text
    found = subset_api.get("/api/agreements/search?stage=ceasefire").json()
    assert found["results"] and {r["stage_label"] for r in found["results"]} == {"Ceasefire/related"}
    unknown = subset_api.get("/api/agreements/search?stage=truce")
    assert unknown.status_code == 422 and "Cea (Ceasefire/related)" in unknown.json()["detail"]
