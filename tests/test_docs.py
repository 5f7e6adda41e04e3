"""The README and docs/*.md hold together (issue 23, item 9): every relative link reaches a file
and, with a #fragment, one of its headings; every file of the repository they name exists; every
`otkg` command they show is one the CLI takes, with options it knows, and runs (here, or in the test
named for it). The curl lines run against a live server in tests/api/test_readme.py."""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^]]*\]\(([^)\s]+)\)")
# Folders of the repository whose files the docs name in backticks (build/ is generated).
TRACKED = ("kg/", "api/", "tests/", "bench/", "queries/", "ontology/", "docs/", "src/", ".ci/")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, flags=re.M):
        a = anchor(heading)
        out.add(f"{a}-{seen[a]}" if a in seen else a)
        seen[a] = seen.get(a, 0) + 1
    return out


def links() -> list[tuple[str, str]]:
    return [
        (doc.relative_to(ROOT).as_posix(), target)
        for doc in DOCS
        for target in LINK.findall(
            re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)
        )
        if not re.match(r"[a-z]+:", target)
    ]


@pytest.mark.parametrize(("doc", "target"), links(), ids=[f"{d}->{t}" for d, t in links()])
def test_every_relative_link_resolves(doc, target):
    path, _, fragment = target.partition("#")
    file = (ROOT / doc).parent / path if path else ROOT / doc
    assert file.exists(), f"{doc} links {target}: no such file"
    if fragment:
        assert fragment in anchors(file), f"{doc} links {target}: no such heading"


def test_the_anchor_of_a_heading_is_githubs():
    assert anchor("Contributing a Trust's package") == "contributing-a-trusts-package"
    assert anchor("Dataset description (VoID)") == "dataset-description-void"
    assert anchor("`/sparql` and SPARQL") == "sparql-and-sparql"


def test_every_setting_is_named_in_the_docs():
    from otkg.api.settings import Settings

    text = " ".join(doc.read_text(encoding="utf-8") for doc in DOCS)
    missing = [
        f"OTKG_{name.upper()}" for name in Settings.model_fields if f"`OTKG_{name.upper()}" not in text
    ]
    assert missing == [], f"settings the docs never name: {missing}"


def named_paths() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for code in re.findall(r"`([^`\s]+)`", doc.read_text(encoding="utf-8")):
            path = code.strip("./").split("#")[0].split("::")[0]
            if path.startswith(TRACKED) and not re.search(r"[*<>{}]|\.\.\.", path):
                found.append((doc.relative_to(ROOT).as_posix(), path))
    return sorted(set(found))


@pytest.mark.parametrize(("doc", "path"), named_paths(), ids=[f"{d}:{p}" for d, p in named_paths()])
def test_every_file_the_docs_name_exists(doc, path):
    assert (ROOT / path).exists(), f"{doc} names {path}, which does not exist"


def otkg_lines() -> list[str]:
    lines = []
    for doc in DOCS:
        for block in re.findall(r"^```sh\n(.*?)^```", doc.read_text(encoding="utf-8"), flags=re.S | re.M):
            joined = block.replace("\\\n", " ")
            lines += [
                ln.split(" #")[0]
                for ln in joined.splitlines()
                if re.match(r"(\S+=\S+ )*\.venv/bin/otkg ", ln)
            ]
    return lines


@functools.cache
def cli_help(*command: str) -> str:
    return subprocess.run(
        [ROOT / ".venv/bin/otkg", *command, "--help"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.slow
@pytest.mark.parametrize("line", otkg_lines(), ids=range(len(otkg_lines())))
def test_every_otkg_command_shown_is_one_the_cli_takes(line):
    words = [w for w in shlex.split(line) if "=" not in w or w.startswith("-")]
    words = words[words.index(".venv/bin/otkg") + 1 :]
    command = [words[0]]
    top = cli_help()
    assert f"    {words[0]} " in top or f"    {words[0]}\n" in top, f"otkg has no command {words[0]}"
    helptext = cli_help(words[0])
    if len(words) > 1 and re.search(r"\{[^}]*\b" + re.escape(words[1]) + r"\b[^}]*\}", helptext):
        command.append(words[1])
        helptext = cli_help(*command)
    for option in (w.split("=")[0] for w in words if w.startswith("--")):
        assert option in helptext, f"otkg {' '.join(command)} takes no {option}"


def test_the_ontology_figures_the_docs_state_are_the_builds(build_dir):
    from collections import Counter

    from otkg.kg.pipeline.ontology_docs import describe
    from rdflib import Graph

    full = Graph().parse(build_dir / "otkg.owl.ttl")
    kinds = Counter((t.kind, t.own) for t in describe(full).terms)
    reused = sum(n for (_, own), n in kinds.items() if not own)
    tools = " ".join((ROOT / "docs/tools.md").read_text(encoding="utf-8").split())
    design = " ".join((ROOT / "docs/design.md").read_text(encoding="utf-8").split())
    assert (
        f"each of otkg's {kinds['classes', True]} classes, {kinds['object-properties', True]} object, "
        f"{kinds['datatype-properties', True]} datatype and {kinds['annotation-properties', True]} annotation "
        f"properties, and the {reused} terms it reuses" in tools
    )
    assert f"as stamped ({len(full):,} triples)" in design
    assert f"the base ({len(Graph().parse(build_dir / 'otkg-base.owl.ttl')):,} triples)" in design


# The otkg commands shown that run elsewhere: a server that keeps running, a remote store, or a local
# graph's history, each in the test file named, which runs it.
ELSEWHERE = {
    "serve": "tests/api/test_cli.py",
    "load": "tests/kg/test_cli.py",
    "history": "tests/contrib/test_history_commands.py",
    "restore": "tests/contrib/test_history_commands.py",
}


def subcommand(line: str) -> str:
    words = shlex.split(line)
    return words[words.index(".venv/bin/otkg") + 1]


def test_every_otkg_command_shown_runs_here_or_in_the_test_named():
    for line in otkg_lines():
        name = subcommand(line)
        if name in ELSEWHERE:
            assert f'"{name}"' in (ROOT / ELSEWHERE[name]).read_text(encoding="utf-8"), (
                name,
                ELSEWHERE[name],
            )


@pytest.mark.slow
def test_the_otkg_commands_shown_run_as_written(build_dir, tmp_path):
    # in a scratch folder over the session's build, with a store of its own; tests/ reachable for the
    # example sheet the import reads
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    env = {**os.environ, "OTKG_BUILD_DIR": str(build_dir), "OTKG_STORE_DIR": str(tmp_path / "store")}
    for line in otkg_lines():
        if subcommand(line) in ELSEWHERE:
            continue
        args = shlex.split(line.replace(".venv/bin/otkg", str(ROOT / ".venv/bin/otkg")))
        out = subprocess.run(
            args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert out.returncode == 0, (line, out.stderr[-2000:])
    assert (tmp_path / "otkg.nq").stat().st_size > 1_000_000
    assert (tmp_path / "care-package.xlsx").exists() and (tmp_path / "cluster-2.xlsx").exists()
