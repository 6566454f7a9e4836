"""Every text a template shows is marked for translation: literal words outside ``{% trans %}`` blocks and
``_()`` calls fail, in the page's text and in the attributes a person sees or hears (placeholder, title,
aria-label, alt, the value of a button).

The check covers every template of the web app and of the reports, found on disk: there is no list to keep,
and a new template with a word left unmarked fails here (issue 17, part 1). A code or a file name that reads
the same in every language is written as an expression (``{{ "SSD" }}``), never as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from jinja2 import Environment

from peaceops.reports.environment import TEMPLATES as REPORT_TEMPLATES
from peaceops.web.templating import TEMPLATES, make_templates

# Every template of the web app and of the reports: a template added later is checked from its first run.
SOURCES = (TEMPLATES, REPORT_TEMPLATES)
ALL_TEMPLATES = sorted(
    (folder, path.relative_to(folder).as_posix()) for folder in SOURCES for path in folder.rglob("*.html")
)
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


@pytest.mark.parametrize(("folder", "name"), ALL_TEMPLATES, ids=[name for _folder, name in ALL_TEMPLATES])
def test_every_text_of_the_template_is_marked(env, folder, name):
    source = (folder / name).read_text(encoding="utf-8")
    assert unmarked(env, source) == [], f"{name}: mark these with {{% trans %}} or _()"


def test_the_check_finds_every_template():
    names = {name for _folder, name in ALL_TEMPLATES}
    # the layout, a page of each section, a fragment and a report: the search reaches into every folder
    expected = {"base.html", "missions/mission.html", "accountability/conduct.html", "_fields.html"}
    assert expected | {"agreements_brief.html"} <= names
    assert len(names) > 100


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
