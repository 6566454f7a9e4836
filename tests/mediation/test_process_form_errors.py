"""Form errors a person can act on (issue 17, part 3): a process name of only spaces is told in plain words
beside the field, the form kept; every validated document's problems read as plain sentences, never the
validator's jargon, on the pages, the API and in import rejections."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from support.requirements import DATA_DIR
from support.web import signed_in_client

from peaceops.access.models import User
from peaceops.access.users import hash_password
from peaceops.errors import FormInvalid, form_invalid, plain_problem
from peaceops.processes.inputs import MediatorDoc, ProcessDoc
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PASSWORD = "process form password"
JARGON = ("String should have", "Input should be", "Field required", "value_error", "pydantic")


@pytest.fixture
def analyst(db: Database, tmp_path) -> Iterator[TestClient]:
    with db.session() as s:
        s.add(User(username="analyst", password_hash=hash_password(PASSWORD), role="analyst"))
    settings = Settings(var_dir=tmp_path / "var", data_dir=DATA_DIR, secret_key="f" * 40)
    client = signed_in_client(create_app(settings, db=db), "analyst", PASSWORD, header_from="/")
    yield client
    client.close()


def test_a_process_name_of_only_spaces_is_told_in_plain_words_beside_the_field(analyst):
    form = {"name": "   ", "conflict": "Test conflict", "phase": "negotiation", "phase_since": "2024-01-01"}
    response = analyst.post("/processes", data=form, follow_redirects=False)
    assert response.status_code == 422
    text = response.text
    assert not any(word in text for word in JARGON), text
    beside = re.search(r'id="process-name"[^>]*aria-invalid="true" aria-describedby="process-name-error">\s*'
                       r'<p class="field-error" id="process-name-error">([^<]*)</p>', text)  # fmt: skip
    assert beside and beside.group(1) == "Give the name of the process."
    assert 'value="Test conflict"' in text, "what was typed stays in the form"


def test_a_request_the_api_cannot_validate_is_told_in_plain_words(analyst):
    response = analyst.post("/api/processes", json={"name": " ", "conflict": "x", "phase": "war"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert not any(word in detail for word in JARGON), detail
    assert "Give the name." in detail and "Choose the phase from:" in detail


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"name": "", "conflict": "x"}, "Give the name."),
        ({"name": "a" * 201, "conflict": "x"}, "The name is too long: it may have at most 200 characters."),
        ({"name": "a", "conflict": "x", "phase": "war"}, "Choose the phase from: 'prevention'"),
        (
            {"name": "a", "conflict": "x", "phase_since": "soon"},
            "The phase since is not a date: write it as YYYY-MM-DD.",
        ),
        ({"name": "a", "conflict": "x", "parties": [{"name": " "}]}, "Give the name of entry 1 in parties."),
        ({"name": "a", "conflict": "x", "colour": "red"}, "The colour is not a field here; remove it."),
    ],
)
def test_each_check_of_a_document_reads_as_one_plain_sentence(values, sentence):
    with pytest.raises(ValidationError) as failed:
        ProcessDoc(**values)
    problems = [plain_problem(e) for e in failed.value.errors()]
    assert any(p.startswith(sentence) for p in problems), problems
    assert all(p[0].isupper() and p.endswith(".") for p in problems)


def test_a_validators_own_message_is_kept_as_a_sentence_and_fields_are_kept_for_the_page():
    with pytest.raises(ValidationError) as failed:
        MediatorDoc(name="Envoy", organisation="UN", kind="un", started_on="2024-05-01", ended_on="2024-01-01")
    invalid = form_invalid(failed.value.errors(), {"name": "name of the process"})
    assert isinstance(invalid, FormInvalid)
    assert str(invalid).startswith("Envoy: the mandate ends (2024-01-01) before it starts (2024-05-01)")
    with pytest.raises(ValidationError) as missing:
        MediatorDoc(name=" ", organisation="UN", kind="un")
    invalid = form_invalid(missing.value.errors(), {"started_on": "date the mandate began"})
    assert invalid.fields == {"name": "Give the name.", "started_on": "Give the date the mandate began."}
