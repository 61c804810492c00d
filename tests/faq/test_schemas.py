"""The JSON Schemas of the knowledge-base files (faq/schemas/): valid draft 2020-12, followed by every shipped
file, named by each file's editor modeline, and turned into plain file:line messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from nwow.faq.checks import MODELINE, TESTS_FILE, expected_modeline, modeline_problems
from nwow.faq.glossary import GLOSSARY_FILE
from nwow.faq.loader import faq_file_kind, faq_files
from nwow.feedback.units import UNITS_FILE
from nwow.offices.loader import OFFICES_FILE
from nwow.paths import default_faq_dir
from nwow.pulses.reader import PULSES_DIR
from nwow.tickets.routing import ROUTING_FILE
from nwow.yaml_reader import YamlDocument, read_yaml
from nwow.yaml_schema import SCHEMA_FILE, SCHEMA_KINDS, SchemaKind, check_schema, schemas_dir

FAQ = default_faq_dir()


def shipped_files() -> list[tuple[Path, SchemaKind]]:
    files: list[tuple[Path, SchemaKind]] = [(path, faq_file_kind(FAQ, path)) for path in faq_files(FAQ)]
    files += [(FAQ / OFFICES_FILE, "offices"), (FAQ / UNITS_FILE, "units"), (FAQ / TESTS_FILE, "tests")]
    files += [(FAQ / GLOSSARY_FILE, "glossary")]
    files += [(FAQ / ROUTING_FILE, "routing")]
    files += [(path, "pulse") for path in sorted((FAQ / PULSES_DIR).glob("*.yml"))]
    return files


def test_every_yaml_file_of_the_folder_is_covered() -> None:
    assert {p for p, _ in shipped_files()} == set(FAQ.rglob("*.yml"))


@pytest.mark.parametrize("path", sorted(schemas_dir().glob("*.schema.json")), ids=lambda p: p.name)
def test_each_schema_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(("path", "kind"), shipped_files(), ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_follows_its_schema(path: Path, kind: SchemaKind) -> None:
    document = read_yaml(path)
    assert isinstance(document, YamlDocument), document

    assert [str(p) for p in check_schema(document, kind).problems] == []


@pytest.mark.parametrize(("path", "kind"), shipped_files(), ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_names_its_own_schema_in_its_modeline(path: Path, kind: SchemaKind) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[:3]
    modelines = [MODELINE.match(line) for line in header]
    [found] = [m for m in modelines if m is not None]

    named = (path.parent / found.group(1)).resolve()
    assert named.is_file()
    assert named == (schemas_dir() / SCHEMA_FILE.format(kind=kind)).resolve()
    assert expected_modeline(FAQ, path, kind) in header
    assert modeline_problems(FAQ, path, kind) == []


def test_every_kind_has_its_schema_file() -> None:
    assert {SCHEMA_FILE.format(kind=kind) for kind in SCHEMA_KINDS} | {"common.schema.json"} == {
        p.name for p in schemas_dir().glob("*.schema.json")
    }


def test_a_missing_or_wrong_modeline_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "links.schema.json").write_text("{}", encoding="utf-8")
    links = tmp_path / "links.yml"
    links.write_text("links: {}\n", encoding="utf-8")

    [missing] = modeline_problems(tmp_path, links, "links")
    links.write_text(
        "# yaml-language-server: $schema=schemas/topics.schema.json\nlinks: {}\n", encoding="utf-8"
    )
    [wrong] = modeline_problems(tmp_path, links, "links")

    assert (missing.severity, missing.line) == ("warning", 1)
    assert "add `# yaml-language-server: $schema=schemas/links.schema.json`" in missing.message
    assert (wrong.severity, wrong.line) == ("warning", 1)
    assert "names schemas/topics.schema.json, not this file's schema" in wrong.message


def check(tmp_path: Path, kind: SchemaKind, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "file.yml"
    path.write_text(text, encoding="utf-8")
    document = read_yaml(path)
    assert isinstance(document, YamlDocument), document
    return [(p.line, p.message) for p in check_schema(document, kind).problems]


ENTRY = """\
entries:
  - id: mfa-what
    topic: mfa
    owner: ISPO
    reviewed: 2026-09-01
    nl: {questions: [Wat is MFA?], answer: Tweestapsverificatie.}
"""


@pytest.mark.parametrize(
    ("provenance", "expected"),
    [
        (
            "    status: draft\n",
            (2, "`source` is missing in entry 'mfa-what': add where the content comes from"),
        ),
        ("    source: none\n", (2, "`status` is missing in entry 'mfa-what': add `draft`")),
        (
            "    source: none\n    status: validated\n    validated_by: J. Peeters, ISPO\n",
            (2, "`validated_on` is missing in entry 'mfa-what': add the date it was validated"),
        ),
        (
            "    source: none\n    status: draft\n    validated_on: 2026-09-01\n",
            (2, "entry 'mfa-what' has `validated_by` or `validated_on` but its status is not `validated`"),
        ),
        (
            "    source: none\n    status: approved\n",
            (8, "`status` of entry 'mfa-what' is 'approved': it must be"),
        ),
        (
            "    source: {year: 2019}\n    status: draft\n",
            (
                7,
                "`document` is missing in `source` of entry 'mfa-what': add the title of the source document",
            ),
        ),
        (
            "    source: Jaarverslag 2019\n    status: draft\n",
            (7, "`source` of entry 'mfa-what' is 'Jaarverslag 2019': it must be `none`, or the document"),
        ),
        (
            "    source: {document: Jaarverslag, year: 19}\n    status: draft\n",
            (7, "`year` in `source` of entry 'mfa-what' is 19: it must be a year such as 2019"),
        ),
    ],
)
def test_provenance_is_required_and_consistent(
    tmp_path: Path, provenance: str, expected: tuple[int, str]
) -> None:
    problems = check(tmp_path, "entries", ENTRY + provenance)

    assert len(problems) == 1, problems
    line, message = problems[0]
    assert (line, message[: len(expected[1])]) == expected


@pytest.mark.parametrize(
    "provenance",
    [
        "    source: none\n    status: draft\n",
        "    source: {document: Jaarverslag 2019, year: 2019}\n    status: draft\n",
        # A document that does not say which year its facts refer to (no year is better than a made-up one).
        "    source: {document: Jaarverslag Federale Politie (Commissariaat-generaal)}\n    status: draft\n",
        "    source:\n      - {document: Jaarverslag 2019, year: 2019}\n      - {document: Jaarverslag 2020, year: 2020}\n"
        "    status: validated\n    validated_by: J. Peeters, ISPO\n    validated_on: 2026-09-01\n",
    ],
)
def test_valid_provenance_passes(tmp_path: Path, provenance: str) -> None:
    assert check(tmp_path, "entries", ENTRY + provenance) == []


def test_an_example_office_cannot_be_validated(tmp_path: Path) -> None:
    office = (FAQ / OFFICES_FILE).read_text(encoding="utf-8")
    broken = office.replace(
        "    status: draft\n", "    status: validated\n    validated_by: X\n    validated_on: 2026-01-01\n", 1
    )
    line = broken[: broken.index("    status: validated")].count("\n") + 1

    problems = check(tmp_path, "offices", broken)

    assert problems == [
        (
            line,
            "`status` of office 'brussel-noord' is 'validated': it must be `draft` for an example office: an "
            "invented office cannot be validated",
        )
    ]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "links",
            "links:\n  Teams Guide:\n    url: https://x.example\n    title: {nl: a, fr: b}\n",
            (2, "key 'Teams Guide' in `links` must be lower-case"),
        ),
        ("topics", "topics:\n  teams: {nl: Teams, es: Teams}\n", (2, "unknown field `es` in topic 'teams'")),
        (
            "synonyms",
            "groups:\n  - gsm\n",
            (2, "synonym group 1 is 'gsm': it must be a list of at least two terms"),
        ),
        (
            "units",
            "groups: [{id: fed, name: {nl: F}}]\nunits: []\n",
            (1, "`fr` is missing in `name` of group 'fed'"),
        ),
        (
            "tests",
            "tests:\n  - {question: hallo}\n",
            (2, "`expect` is missing in test 1: add the id of the entry"),
        ),
        (
            "tests",
            "tests:\n  - {question: hallo, expect: Bad Id}\n",
            (2, "`expect` of test 1 is 'Bad Id': it must be lower-case"),
        ),
    ],
)
def test_the_other_file_kinds_report_at_the_line(
    tmp_path: Path, kind: SchemaKind, text: str, expected: tuple[int, str]
) -> None:
    problems = check(tmp_path, kind, text)

    assert any(line == expected[0] and message.startswith(expected[1]) for line, message in problems), (
        problems
    )
