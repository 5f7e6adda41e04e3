"""The provenance table of the entity and trace pages: each claim once, under the property it
supports, with its quoted passage as a short excerpt (the passage in its context one click away) and
where it is. A passage that several claims quote is shown in context once; the others link to it.
Claims of one property quoting the same passage with the same reading share one row (doc-002's 168
claims make 20 rows: 35 of them quote one passage)."""

from __future__ import annotations

from .terms import compact, excerpt, label_of, plain, words


def _value(o: str, labels: dict) -> dict:
    # A supported statement's object comes as plain text: an IRI reads as a link, a literal as text.
    if o.startswith(("http://", "https://")) and " " not in o:
        return {"iri": o, "text": label_of(o, labels)}
    return {"text": excerpt(plain(o))}


def _locator(p: dict) -> str:
    return f"cell {p['cell']}" if p.get("cell") else f"characters {p['start']}–{p['end']}"


def passage_key(p: dict) -> tuple:
    """What makes two quoted passages the same: their document and where in it."""
    return p["document"]["iri"], p.get("cell"), p.get("start"), p.get("end")


def passage_ids(found: dict) -> dict[tuple, str]:
    """Each distinct passage's fragment id: passage-i-k of the first claim (i) to quote it, as its k-th
    passage. The trail's quote boxes link to these ids too."""
    ids: dict[tuple, str] = {}
    for i, item in enumerate(found["evidence"]):
        for k, p in enumerate(item.get("passages", [])):
            ids.setdefault(passage_key(p), f"passage-{i}-{k}")
    return ids


def _row(item: dict, labels: dict, ids: dict) -> dict:
    # A claim may list one supported triple several times (one per graph that asserts it): once here.
    supports = dict.fromkeys(tuple(s) for s in item.get("supports", []))
    statements = sorted(
        ({"property": p, "name": words(p), "value": _value(o, labels)} for _, p, o in supports),
        key=lambda s: compact(s["property"]),
    )
    passages = [
        {**p, "id": ids[passage_key(p)], "excerpt": excerpt(p["exact"]), "where": _locator(p)}
        for p in item.get("passages", [])
    ]
    return {**item, "statements": statements, "passages": passages, "claims": [item["evidence"]]}


def _same_reading(r: dict) -> tuple:
    """What rows must share to be read as one: kind, passages, curators' note, source, status, citations."""
    cites = tuple(sorted(c.get("reference", "") for c in r.get("cites", [])))
    return (
        r["kind"],
        tuple(passage_key(p) for p in r["passages"]),
        r.get("note"),
        r.get("source"),
        r.get("status"),
        cites,
    )


def _merged(rows: list[dict]) -> list[dict]:
    """Rows quoting the same passages with the same reading as one row (in order of the first), their
    statements and claims listed together; rows without a passage stay apart."""
    out: list[dict] = []
    first: dict[tuple, dict] = {}
    for r in rows:
        key = _same_reading(r)
        if not r["passages"] or key not in first:
            first[key] = r if r["passages"] else {}
            out.append(r)
            continue
        into = first[key]
        into["statements"] = into["statements"] + [s for s in r["statements"] if s not in into["statements"]]
        into["claims"] = into["claims"] + r["claims"]
    return out


def _show_each_passage_once(groups: list[dict]) -> None:
    """In reading order, the first row quoting a passage shows it in context; later rows link to it."""
    shown: set[str] = set()
    for g in groups:
        for r in g["rows"]:
            for p in r["passages"]:
                p["repeat"] = p["id"] in shown
                shown.add(p["id"])


def groups(found: dict, labels: dict) -> list[dict]:
    """Evidence rows grouped by the (first) property each supports, groups in order of that property."""
    ids = passage_ids(found)
    by_property: dict[str, dict] = {}
    for item in found["evidence"]:
        row = _row(item, labels, ids)
        first = row["statements"][0]["property"] if row["statements"] else ""
        group = by_property.setdefault(
            first, {"property": first, "name": words(first) if first else "other", "rows": []}
        )
        group["rows"].append(row)
    ordered = sorted(by_property.values(), key=lambda g: (not g["property"], compact(g["property"])))
    for g in ordered:
        g["rows"] = _merged(g["rows"])
    _show_each_passage_once(ordered)
    return ordered
