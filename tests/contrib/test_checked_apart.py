"""The checks an RDF upload gets in a checking process (kg.contrib.write_path.checked_apart): what
they send back, and their refusals, arrive whole in the API process."""

from __future__ import annotations

import pickle

from otkg.kg.contrib import write_path
from otkg.kg.contrib.write_path import Refused, Upload, checked_apart, start_checker, unpacked
from otkg.kg.pipeline.scale import trust_upload
from otkg.kg.pipeline.sheet_read import Problem

NT = "application/n-triples"


def test_a_refusal_crosses_a_process_boundary_whole():
    refused = Refused(422, "Invalid spreadsheet", "1 problem(s)", errors=[{"cell": "H5"}])
    refused.problems = [Problem("Sheet1", 5, "H", "formula")]
    back = pickle.loads(pickle.dumps(refused))
    assert (back.status, back.title, back.detail, back.extra) == (
        422,
        "Invalid spreadsheet",
        "1 problem(s)",
        {"errors": [{"cell": "H5"}]},
    )
    assert [str(p) for p in back.problems] == [str(p) for p in refused.problems]


def test_an_upload_checked_apart_is_unpacked_to_the_same_triples_and_refusals_name_their_offences():
    start_checker(0)  # in this process: what a checking process does first
    assert write_path._checker is not None
    body = trust_upload(3, "apart")
    up = Upload("apart", body, NT)
    packed = checked_apart(up)
    assert packed[0].triples == [] and len(packed[1]) == 11  # 20,378 triples in chunks of 2,000
    checked = unpacked(pickle.loads(pickle.dumps(packed)))
    assert checked == write_path._checker.check(up)
    assert len(checked.triples) == 20378 and checked.graph.endswith("/graph/local/apart")

    foreign = b'<https://w3id.org/otkg/id/cluster-2> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    try:
        checked_apart(Upload("apart", body + foreign, NT))
    except Refused as exc:
        back = pickle.loads(pickle.dumps(exc))
        assert back.status == 422 and back.title == "Upload breaks the content rules"
        assert back.extra["offences"] == exc.extra["offences"] and len(back.extra["offences"]) == 1
    else:
        raise AssertionError("a foreign subject passed the content rules")
