"""The SVG drawings are well-formed, escape every value, and make every node a titled link."""

import xml.etree.ElementTree as ET

from otkg.api.pages import svg

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


def _boxes(root):
    """href -> (top, height, [(line, class)]) of each node of a drawn trail."""
    out = {}
    for a in root.findall("s:a", NS):
        rect = a.find("s:rect", NS)
        spans = [(t.text, t.get("class")) for t in a.find("s:text", NS).findall("s:tspan", NS)]
        out[a.get("href")] = (float(rect.get("y")), float(rect.get("height")), spans)
    return out


def test_trail_places_the_entity_between_its_claims_and_nodes_never_overlap():
    boxes = _boxes(ET.fromstring(str(_trail())))
    centre = {h: y + height / 2 for h, (y, height, _) in boxes.items()}
    assert centre["/id/a?x=1&y=2"] == (centre["/claim/a"] + centre["/claim/b"]) / 2
    top_b = boxes["/claim/b"][0]
    top_a, height_a, _ = boxes["/claim/a"]
    assert top_b - (top_a + height_a) == svg.GAP


def test_trail_boxes_wrap_their_text_and_grow_with_it():
    label = "definition point\nSelection of appropriate equipment, assistive technology, environmental design"
    nodes = [
        svg.Node("e", "entity", 0, "e", "Entity", "/id/e"),
        svg.Node("c", "claim", 1, label, "Claim: " + label, "/claim/c"),
    ]
    drawn = ET.fromstring(str(svg.trail(nodes, [("e", "c")], ["A", "B"], "T", "d")))
    _, height, spans = _boxes(drawn)["/claim/c"]
    assert spans == [
        ("definition point", "head"),
        ("Selection of appropriate", "line"),
        ("equipment, assistive", "line"),
        ("technology, environmental…", "line"),
    ]
    assert height == 2 * svg.INSET + 4 * svg.LINE_H


def test_trail_lines_keep_to_their_widths_and_a_long_label_ends_in_an_ellipsis():
    assert svg.lines("short\ntext") == [("short", True), ("text", False)]
    long = svg.lines("a heading that runs on past one line\n" + "word " * 40)
    assert len(long) == svg.MAX_LINES and long[-1][0].endswith("…")
    assert all(len(t) <= (svg.HEAD_CHARS if head else svg.CHARS) for t, head in long)


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
