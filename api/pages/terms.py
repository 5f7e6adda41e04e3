"""How RDF terms read on a page: compact names, links to the pages of otkg IRIs, short labels, and
values in plain words (durations as days or weeks, numbers without their datatype, names as words)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox

from ...kg.namespaces import BASE, ONTOLOGY_IRI, PREFIXES

# Only these otkg paths have pages (api/routers/entities.py resolves them).
PAGE_PATHS = ("id/", "claim/", "statement/", "graph/")
# Longest namespace first, so that id: wins over a shorter prefix of it.
NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
SAFE = "/#:@!$&'()*+,;=-._~"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
# An ISO 8601 duration of whole years, months, weeks and days (what the graph's intervals hold).
DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
DURATION_UNITS = ("year", "month", "week", "day")
NUMBERED = re.compile(r"^\d+\.? ")  # a leading number ('7 ', '7. ')
ACRONYMS = {"kpi": "KPI", "moho": "MOHO", "ot": "OT", "pcn": "PCN", "iri": "IRI", "wte": "WTE", "nhs": "NHS"}


def has_page(iri: str) -> bool:
    return iri.startswith(BASE) and iri[len(BASE) :].startswith(PAGE_PATHS)


def href(iri: str) -> str | None:
    """The local page of an otkg IRI (an ontology term's: its entry on /ontology), the IRI itself for
    other web IRIs, or None (no link)."""
    if has_page(iri):
        return "/" + quote(iri[len(BASE) :], safe=SAFE)
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):  # a term's entry in the ontology docs
        return "/" + quote(iri[len(BASE) :], safe=SAFE)
    if iri.startswith(("http://", "https://")) and not iri.startswith(BASE):
        return iri
    return None


def compact(iri: str) -> str:
    """prefix:local for a known namespace, the IRI otherwise."""
    for ns, prefix in NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def short(text: str, length: int = 60) -> str:
    """The text cut at a word boundary to about `length` characters, with an ellipsis (a first word
    longer than `length` is kept whole: a word is never cut)."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0] if " " in text[: length + 1] else text.split(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…" if cut != text else text


def distinct_cuts(labels: list[str], length: int) -> list[str]:
    """Each label cut by short() to about `length` characters, longer where two cuts would read the
    same but for a leading number (so that '7 (re)establishing productive or valued daily…' and
    '8 (re)establishing productive or valued roles' keep the words that tell them apart)."""
    cuts = {label: length for label in labels}
    while True:
        shown = {label: short(label, n) for label, n in cuts.items()}
        counts: dict[str, int] = {}
        for text in shown.values():
            counts[NUMBERED.sub("", text)] = counts.get(NUMBERED.sub("", text), 0) + 1
        clash = [
            label for label, text in shown.items() if counts[NUMBERED.sub("", text)] > 1 and text != label
        ]
        if not clash:
            return [shown[label] for label in labels]
        for label in clash:
            cuts[label] += 8


def whole_words_before(text: str, cut: bool) -> str:
    """Context before a quote, starting at a word: when it was cut from a longer text (`cut`), its
    first partial word gives way to an ellipsis."""
    partial = re.match(r"\S+(?=\s)", text) if cut else None
    return "…" + text[partial.end() :] if partial else text


def whole_words_after(text: str, cut: bool) -> str:
    """Context after a quote, ending at a word: a cut text's last partial word gives way to an ellipsis."""
    partial = re.search(r"(?<=\s)\S+$", text) if cut else None
    return text[: partial.start()] + "…" if partial else text


def excerpt(text: str, length: int = 110) -> str:
    """The text on one line; a long one cut to its opening and closing words around an ellipsis, so
    that passages which open alike (a definition and its first point) still read differently."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    tail = text[-(length * 3 // 10) :]
    tail = tail.split(" ", 1)[1] if " " in tail[1:] else tail
    return f"{short(text, length * 6 // 10).removesuffix('…')} … {tail}"


def words(iri: str) -> str:
    """A class or property name as words: otkg:KeyPerformanceIndicator -> 'key performance indicator',
    otkg:inMOHODomain -> 'in MOHO domain'."""
    name = compact(iri).split(":", 1)[-1]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_-]+", " ", name).split(" ")
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in spaced if w)


def heading(name: str) -> str:
    """A query's column name as a table heading in words: 'nationalAverage' -> 'national average',
    'kpi' -> 'KPI', 'interventionLabel' -> 'intervention label'."""
    return " ".join(ACRONYMS.get(w, w) for w in words(name).split(" "))


def duration(text: str) -> str | None:
    """An ISO 8601 duration in words ('P105D' -> '105 days (15 weeks)', 'P6M' -> '6 months'), or
    None when the text is not one."""
    found = DURATION.fullmatch(text.strip())
    if not found or not any(found.groups()):
        return None
    parts = [
        f"{int(n)} {unit}{'' if int(n) == 1 else 's'}"
        for n, unit in zip(found.groups(), DURATION_UNITS, strict=True)
        if n is not None
    ]
    days = found.group(4)
    if len(parts) == 1 and days and int(days) % 7 == 0 and int(days) > 7:
        parts.append(f"({int(days) // 7} weeks)")
    return " ".join(parts)


def plain(value: str, datatype: str | None = None) -> str:
    """A literal as a person reads it: a duration in words, any other XSD value as written (its
    datatype is for machines: the downloads keep it)."""
    if datatype == XSD + "duration" or (datatype is None and value.startswith("P")):
        return duration(value) or value
    return value


def shows_datatype(datatype: str | None) -> bool:
    """Whether a page names a literal's datatype beside it: never for XSD's (numbers, dates, durations,
    true or false read as they are), for any other (say, rdf:HTML) in case it changes the reading."""
    return bool(datatype) and not str(datatype).startswith(XSD)


def sheet_cell(text: str, link_label: str | None, has_link: bool) -> tuple[str, str, str]:
    """A package sheet cell's text as (before, linked, after): one short part of it carries the
    entry's link. The linked entity's own label where the text holds it ('moderate: [motivation]'),
    else the item after a 'qualifier: ' or 'N. ' prefix when it is short ('measure: [OCAIRS]'), else
    the prefix ('[motivation]: setting short-term activity goals…'), else the first words."""
    if link_label and has_link:
        at = text.lower().find(link_label.lower())
        if at >= 0:
            return text[:at], text[at : at + len(link_label)], text[at + len(link_label) :]
    head = re.match(r"(\d+\. |[^:]{1,40}: )", text)
    prefix = head.group(1) if head else ""
    item = text[len(prefix) :]
    if has_link and len(item.split()) <= 5:
        return prefix, item, ""
    if prefix:
        name = prefix.rstrip(": ").rstrip(".")
        return "", name, text[len(name) :]
    first = " ".join(text.split()[:3])
    return "", first, text[len(first) :]


def label_of(iri: str, labels: dict[str, str]) -> str:
    """What a link to the IRI says: its label, else a readable form of its path."""
    if iri in labels:
        return labels[iri]
    if iri.startswith(ONTOLOGY_IRI + "#"):  # a class or property: its name as words
        return words(iri)
    if iri.startswith(BASE + "claim/"):
        return iri[len(BASE) + 6 :]
    if iri.startswith(BASE + "statement/"):
        return "statement " + iri[len(BASE) + 10 :]
    return compact(iri)


def term(t) -> dict:
    """A pyoxigraph term as the templates read it: {iri}, {bnode} or {value, lang, datatype}."""
    if isinstance(t, ox.NamedNode):
        return {"iri": t.value}
    if isinstance(t, ox.BlankNode):
        return {"bnode": t.value}
    datatype = None if t.language or t.datatype.value == XSD_STRING else t.datatype.value
    return {"value": t.value, "lang": t.language, "datatype": datatype}


def json_term(t: dict) -> dict:
    """A SPARQL 1.1 JSON results term in the same shape as term()."""
    if t["type"] == "uri":
        return {"iri": t["value"]}
    if t["type"] == "bnode":
        return {"bnode": t["value"]}
    datatype = t.get("datatype")
    return {
        "value": t["value"],
        "lang": t.get("xml:lang"),
        "datatype": None if datatype == XSD_STRING else datatype,
    }
