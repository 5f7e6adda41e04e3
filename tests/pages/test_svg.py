"""The SVG drawings are well-formed, escape every value, and make every node a titled link."""

import xml.etree.ElementTree as ET

from api.pages import svg

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def _trail():
    nodes = [
        svg.Node("e", "entity", 0, HOSTILE, "Entity: " + HOSTILE, "/id/a?x=1&y=2"),
        svg.Node("c0", "claim", 1, "claim a", "Claim a", "/claim/a"),
        svg.Node("c1", "claim", 1, "claim b", "Claim b", "/claim/b"),
        svg.Node("q0", "quote", 2, "“a quote”", "Quoted passage", "#passage-0-0"),
        svg.Node("d", "document", 3, "a document", "Source document", "/id/doc"),
        svg.Node("p", "policy", 4, "a framework", "Policy framework", "/id/p"),
    ]
    edges = [("e", "c0"), ("e", "c1"), ("c0", "q0"), ("q0", "d"), ("e", "p")]
    return svg.trail(nodes, edges, ["A", "B", "C", "D", "E"], "Trail " + HOSTILE, "desc")


def test_trail_is_well_formed_and_every_node_is_a_titled_link():
    root = ET.fromstring(str(_trail()))
    assert root.find("s:title", NS).text == "Trail " + HOSTILE
    links = root.findall("s:a", NS)
    assert [a.get("href") for a in links] == [
        "/id/a?x=1&y=2",
        "/claim/a",
        "/claim/b",
        "#passage-0-0",
        "/id/doc",
        "/id/p",
    ]
    assert all(a.find("s:title", NS).text and a.find("s:rect", NS) is not None for a in links)
    assert len(root.findall("s:path", NS)) == 5
    assert "<script>" not in str(_trail())


def test_trail_places_the_entity_between_its_claims_and_nodes_never_overlap():
    root = ET.fromstring(str(_trail()))
    ys = {a.get("href"): float(a.find("s:rect", NS).get("y")) for a in root.findall("s:a", NS)}
    assert ys["/id/a?x=1&y=2"] == (ys["/claim/a"] + ys["/claim/b"]) / 2
    assert ys["/claim/b"] - ys["/claim/a"] >= svg.NODE_H


def test_heatmap_links_only_non_empty_cells():
    rows, cols = [("r1", "row <1>"), ("r2", "row 2")], [("c1", "col 1"), ("c2", "col & 2")]
    cells = {
        ("r1", "c2"): svg.Cell(3, "r1 × c2: 3", "/matrix?kind=x&cluster=r1"),
        ("r2", "c1"): svg.Cell(0, "", "/no"),
    }
    root = ET.fromstring(str(svg.heatmap(rows, cols, cells, "m", "Matrix", "desc")))
    links = root.findall("s:a", NS)
    assert [(a.get("href"), a.find("s:text", NS).text, a.find("s:rect", NS).get("class")) for a in links] == [
        ("/matrix?kind=x&cluster=r1", "3", "heat-3")
    ]
    assert len(root.findall("s:rect", NS)) == 3  # the empty cells: drawn, not linked
    assert [g.find("s:title", NS).text for g in root.findall("s:g", NS)] == [
        "col 1",
        "col & 2",
        "row <1>",
        "row 2",
    ]
