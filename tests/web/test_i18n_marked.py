"""Every text a template shows is marked for translation: literal words outside ``{% trans %}`` blocks and
``_()`` calls fail, in the page's text and in the attributes a person sees or hears (placeholder, title,
aria-label, alt, the value of a button).

For now the check covers the templates listed in MARKED, the ones already marked (issue 17, part 1). Each
template marked later joins the list, until it is every template and the list goes away.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from jinja2 import Environment

from peaceops.web.templating import TEMPLATES, make_templates

MARKED = [
    "base.html",
    "missions/mission.html",
    "missions/performance_framework.html",
    "missions/performance_indicator.html",
    "missions/_perf_cell_status.html",
    "missions/_perf_report_body.html",
    "missions/performance_report.html",
    "missions/performance_report_print.html",
    "missions/performance.html",
    "missions/framework.html",
    "missions/performance_scorecard.html",
    "missions/performance_scorecard_cell.html",
    "missions/_perf_macros.html",
    "missions/missions.html",
    "missions/_missions_table.html",
    "missions/_status_names.html",
    "overview/home.html",
    "login.html",
    "error.html",
    "_fields.html",
    "_upload_form.html",
    "monitoring/regions.html",
    "monitoring/region.html",
    "missions/training.html",
    "missions/training_readiness.html",
    "missions/transitions.html",
    "missions/transition.html",
    "missions/support.html",
    "missions/support_operation.html",
    "missions/resources.html",
    "missions/resources_mission.html",
    "monitoring/_region_body.html",
    "monitoring/region_print.html",
    "monitoring/incident_form.html",
    "monitoring/incident.html",
    "monitoring/incidents.html",
    "monitoring/incident_taxonomy.html",
    "monitoring/conflict.html",
    "monitoring/conflict_alert.html",
    "monitoring/conflict_track.html",
    "monitoring/conflict_unit.html",
    "monitoring/comms_import.html",
    "monitoring/comms_narrative.html",
    "account.html",
    "account_totp.html",
    "_totp_setup.html",
    "recovery_codes.html",
    "login_code.html",
    "login_enrol.html",
    "_chart.html",
    "data/admin_audit.html",
    "data/admin_users.html",
    "data/imports.html",
    "data/import_run.html",
    "accountability/_accountability_filters.html",
    "accountability/countries.html",
    "accountability/country.html",
    "accountability/environment.html",
    "accountability/environment_form.html",
    "accountability/partnerships.html",
    "accountability/partnership_framework.html",
    "accountability/partnership_operation.html",
    "_follow.html",
    "_notifications.html",
    "notifications_secret.html",
    "mediation/agreements.html",
    "mediation/_agreement_results.html",
    "mediation/_agreement_styles.html",
    "mediation/agreement.html",
    "mediation/agreement_compare.html",
    "mediation/process.html",
    "mediation/processes.html",
    "mediation/process_debrief.html",
    "mediation/process_debrief_form.html",
    "mediation/process_debrief_list.html",
    "mediation/process_debriefs.html",
    "mediation/process_form.html",
    "mediation/process_mediator_form.html",
    "mediation/process_timeline.html",
    "mediation/_process_mediator_fields.html",
    "mediation/_process_styles.html",
    "mediation/_process_checks.html",
    "mediation/process_mandates.html",
    "mediation/process_forum.html",
    "mediation/process_debriefs_due.html",
    "mediation/helpdesk.html",
    "mediation/helpdesk_form.html",
    "mediation/helpdesk_request.html",
    "mediation/roster.html",
    "mediation/roster_expert.html",
    "mediation/roster_form.html",
    "mediation/roster_gaps.html",
    "mediation/roster_import.html",
    "mediation/_roster_terms.html",
    "_threat_areas.html",
    "_threat_summary.html",
]
# Not words of any language: the product's name and codes that read the same in every language.
ALLOWED = {"peaceops"}
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more in a row, in any script
PATH = re.compile(r"(?<!\S)/[\w/.?=&%-]*")  # a link's address shown as text (/api/regions/017): not words
SEEN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
PLACEHOLDER = "\x00"  # stands for each expression or tag of Jinja: no letters
# Attributes written outside a tag, as a macro returns them (`` aria-invalid="true" ...``): only their values
# can be seen, and only those of SEEN_ATTRIBUTES.
LOOSE_ATTRIBUTES = re.compile(r"^(\s*[\w:-]+=\"[^\"]*\"|\s|\x00)+$")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def _text_outside_translations(env: Environment, source: str) -> str:
    """The template's literal text with Jinja's own parts replaced by PLACEHOLDER: the text of ``{% trans %}``
    blocks and of expressions (``{{ _("...") }}``) is left out, since it is translated."""
    parts: list[str] = []
    in_trans = False
    block: list[str] = []
    in_block = False
    for _line, token, value in env.lex(source):
        if token == "block_begin":
            in_block, block = True, []
        elif in_block and token == "name" and not block:
            block.append(value)
        elif token == "block_end":
            in_block = False
            if block[:1] == ["trans"]:
                in_trans = True
            elif block[:1] == ["endtrans"]:
                in_trans = False
        if token == "data" and not in_trans:
            parts.append(value)
        elif not parts or parts[-1] != PLACEHOLDER:
            parts.append(PLACEHOLDER)
    return "".join(parts)


class _Visible(HTMLParser):
    """Collects what a person reads or hears: text outside <script> and <style>, and the seen attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (where, the text)
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        for name in SEEN_ATTRIBUTES:
            if values.get(name):
                self.found.append((name, values[name] or ""))
        is_button = tag == "button" or (tag == "input" and values.get("type") in ("submit", "button", "reset"))
        if is_button and values.get("value"):
            self.found.append(("value", values["value"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._hidden or not data.strip():
            return
        if LOOSE_ATTRIBUTES.match(data):
            self.found.extend((name, value) for name, value in ATTRIBUTE.findall(data) if name in SEEN_ATTRIBUTES)
        else:
            self.found.append(("text", data))


def unmarked(env: Environment, source: str) -> list[str]:
    """The texts of ``source`` that hold a word and are not marked for translation."""
    parser = _Visible()
    parser.feed(_text_outside_translations(env, source))
    parser.close()
    words = []
    for where, text in parser.found:
        readable = " ".join(text.replace(PLACEHOLDER, " ").split())
        if any(word not in ALLOWED for word in WORD.findall(PATH.sub(" ", readable))):
            words.append(readable if where == "text" else f'{where}="{readable}"')
    return words


@pytest.fixture(scope="module")
def env() -> Environment:
    return make_templates().env


@pytest.mark.parametrize("name", MARKED)
def test_every_text_of_the_template_is_marked(env, name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert unmarked(env, source) == [], f"{name}: mark these with {{% trans %}} or _()"


def test_the_marked_templates_exist():
    missing = [name for name in MARKED if not (TEMPLATES / name).is_file()]
    assert missing == []
    assert len(set(MARKED)) == len(MARKED)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<p>{{ _("Hello") }}</p>', []),
        ("<p>{% trans n=3 %}{{ n }} missions{% endtrans %}</p>", []),
        ('<input placeholder="Search">', ['placeholder="Search"']),
        ('<a title="{{ _("Search") }}" href="/x">{{ name }}</a>', []),
        ('<button value="Go">{{ _("Go") }}</button>', ['value="Go"']),
        ('<input type="hidden" name="kind" value="pledges">', []),
        ("<td>12 · 3 — 4 %</td><span>peaceops</span>", []),
        ("<script>var words = 'not shown';</script>", []),
        ("<p>{% if x %}Signed in{% endif %}</p>", ["Signed in"]),
        ("<p>Ça va</p>", ["Ça va"]),
        ('<p>{{ _("JSON:") }} <a href="/api/x">/api/regions/017</a></p>', []),
        ("<p>See /api/x for more</p>", ["See /api/x for more"]),
        ('{% macro m() %} aria-invalid="true" title="Wrong"{% endmacro %}', ['title="Wrong"']),
    ],
)
def test_the_check_finds_unmarked_text(env, source, found):
    assert unmarked(env, source) == found
