"""The entity page's provenance table: each claim once, under the property it supports, with its
quoted passage as a short excerpt (the passage in its context one click away) and where it is."""

from __future__ import annotations

from .terms import compact, excerpt, label_of, words


def _value(o: str, labels: dict) -> dict:
    # A supported statement's object comes as plain text: an IRI reads as a link, a literal as text.
    if o.startswith(("http://", "https://")) and " " not in o:
        return {"iri": o, "text": label_of(o, labels)}
    return {"text": excerpt(o)}


def _locator(p: dict) -> str:
    return f"cell {p['cell']}" if p.get("cell") else f"characters {p['start']}–{p['end']}"


def _row(i: int, item: dict, labels: dict) -> dict:
    statements = sorted(
        ({"property": p, "name": words(p), "value": _value(o, labels)}
         for _, p, o in item.get("supports", [])),
        key=lambda s: compact(s["property"]),
    )
    passages = [
        {**p, "id": f"passage-{i}-{k}", "excerpt": excerpt(p["exact"]), "where": _locator(p)}
        for k, p in enumerate(item.get("passages", []))
    ]
    return {**item, "statements": statements, "passages": passages}


def groups(found: dict, labels: dict) -> list[dict]:
    """Evidence rows grouped by the (first) property each supports, groups in order of that property."""
    by_property: dict[str, dict] = {}
    for i, item in enumerate(found["evidence"]):
        row = _row(i, item, labels)
        first = row["statements"][0]["property"] if row["statements"] else ""
        group = by_property.setdefault(first, {"property": first, "name": words(first) if first else "other",
                                               "rows": []})
        group["rows"].append(row)
    return sorted(by_property.values(), key=lambda g: (not g["property"], compact(g["property"])))
