"""One term per concept and language in the FAQ answers: faq/glossary.yml, and the warnings of `nwow faq
check` where an answer uses a form to avoid.

The glossary lists, per concept, the term to use in each language and the forms to avoid (the police
identity card is a *legitimatiekaart*, not a *dienstkaart*). Only answers are checked: question variants are
written the way colleagues type, avoided forms included. Besides the glossary, German answers use German
quotation marks („…“) and French ones guillemets (« … »), as the bot's own strings do.

Matching ignores case, Markdown emphasis (`**`) and quotation marks, and takes whole words only; a form to
avoid that is part of the preferred term (*ICT* in *ICT-middelen*) is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from nwow.language import LANGS, Lang
from nwow.problems import Problem, shown
from nwow.yaml_reader import YamlDocument, read_yaml
from nwow.yaml_schema import check_schema

GLOSSARY_FILE: Final = "glossary.yml"
# Quotation marks of each language; a straight double quote in an answer of these languages is reported.
QUOTES: Final[Mapping[Lang, str]] = {"de": "„…“", "fr": "« … »"}

_IGNORED: Final = re.compile(r"[*_«»“”„\"]")
_SPACES: Final = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Term:
    concept: str
    lang: Lang
    use: str
    avoid: tuple[str, ...]
    line: int  # in glossary.yml
    _use: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _avoid: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The longest forms first: a line is reported once per concept, for the longest form it uses.
        object.__setattr__(self, "avoid", tuple(sorted(self.avoid, key=len, reverse=True)))
        object.__setattr__(self, "_use", _pattern(self.use))
        object.__setattr__(self, "_avoid", tuple(_pattern(form) for form in self.avoid))

    def avoided_in(self, text: str) -> Iterator[str]:
        """The forms to avoid that `text` (normalised with `normalize`) uses outside the preferred term."""
        preferred = [match.span() for match in self._use.finditer(text)]
        for form, pattern in zip(self.avoid, self._avoid, strict=True):
            for match in pattern.finditer(text):
                start, end = match.span()
                if not any(s <= start and end <= e for s, e in preferred):
                    yield form
                    break


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    def of(self, lang: str) -> list[Term]:
        return [term for term in self.terms if term.lang == lang]


def normalize(text: str) -> str:
    """Lower case, without Markdown emphasis and quotation marks, single spaces."""
    return _SPACES.sub(" ", _IGNORED.sub("", text)).strip().casefold()


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in normalize(phrase).split(" ") if word]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])")


def read_glossary(path: Path) -> tuple[Glossary, list[Problem]]:
    """The glossary in `path` and its problems (an empty glossary when there is no file)."""
    if not path.is_file():
        return Glossary(()), []
    document = read_yaml(path)
    if isinstance(document, Problem):
        return Glossary(()), [document]
    check = check_schema(document, "glossary")
    problems = [*document.problems, *check.problems]
    terms: list[Term] = []
    concepts: Any = document.value.get("concepts") if isinstance(document.value, dict) else None
    for index, concept in enumerate(concepts if isinstance(concepts, list) else []):
        if not check.passed(("concepts", index)):
            continue
        for lang in LANGS:
            term = concept.get(lang)
            if term is not None:
                line = document.line(("concepts", index, lang))
                terms.append(Term(concept["id"], lang, term["use"], tuple(term.get("avoid", ())), line))
    return Glossary(tuple(terms)), problems


def answer_problems(documents: Iterable[YamlDocument], glossary: Glossary) -> list[Problem]:
    """A warning per answer line that uses a form to avoid, or straight quotes where the language has its
    own, in the entries files `documents`."""
    problems: list[Problem] = []
    for document in documents:
        entries: Any = document.value.get("entries") if isinstance(document.value, dict) else None
        for index, fields in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(fields, dict):
                continue
            for lang in LANGS:
                block = fields.get(lang)
                answer = block.get("answer") if isinstance(block, dict) else None
                if isinstance(answer, str):
                    where = document.line(("entries", index, lang, "answer"))
                    problems += _answer_problems(
                        document.path, where, answer, lang, glossary, fields.get("id")
                    )
    return problems


def item_problems(
    document: YamlDocument, glossary: Glossary, section: str, keys: tuple[str, ...], what: str
) -> list[Problem]:
    """The same warnings for the texts per language of the items of a list, e.g. the names and access
    rules of offices.yml (`section="offices"`, `keys=("name", "access")`, `what="office"`)."""
    problems: list[Problem] = []
    items: Any = document.value.get(section) if isinstance(document.value, dict) else None
    for index, fields in enumerate(items if isinstance(items, list) else []):
        if not isinstance(fields, dict):
            continue
        for key in keys:
            texts = fields.get(key)
            for lang in LANGS:
                text = texts.get(lang) if isinstance(texts, dict) else None
                if isinstance(text, str):
                    where = document.line((section, index, key, lang))
                    label = f"the {lang} {key} of {what} {shown(str(fields.get('id')))}"
                    problems += _text_problems(document.path, where, text, lang, glossary, label)
    return problems


def _answer_problems(
    file: Path, where: int, answer: str, lang: Lang, glossary: Glossary, entry_id: object
) -> Iterator[Problem]:
    return _text_problems(file, where, answer, lang, glossary, f"the {lang} answer of {shown(str(entry_id))}")


def _text_problems(
    file: Path, where: int, text: str, lang: Lang, glossary: Glossary, label: str
) -> Iterator[Problem]:
    """The warnings of one text whose key is on line `where` (a block text starts on the next line)."""
    block = "\n" in text.rstrip("\n")
    terms = glossary.of(lang)
    for number, line in enumerate(text.splitlines()):
        at = where + 1 + number if block else where
        normalized = normalize(line)
        for term in terms:
            form = next(term.avoided_in(normalized), None)
            if form is not None:
                yield Problem(
                    file,
                    at,
                    f"{label} writes {shown(form)}: the glossary's term is {shown(term.use)} ({term.concept}, "
                    f"faq/{GLOSSARY_FILE} line {term.line})",
                    "warning",
                )
        if lang in QUOTES and '"' in line:
            yield Problem(file, at, f'{label} uses straight quotes ("): write {QUOTES[lang]}', "warning")
