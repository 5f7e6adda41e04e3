"""The README is the front door, and every curl example in it and in docs/*.md works as written
against a real server (issue 23, item 9)."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {
    p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
}


def sh_lines(text: str) -> list[str]:
    """The lines of a text's fenced sh blocks."""
    return [
        ln for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M) for ln in block.splitlines()
    ]


# Write examples need a token and a package file: tests/api/test_uploads.py makes the same requests.
CURLS = [
    (name, ln)
    for name, text in DOCS.items()
    for ln in sh_lines(text)
    if ln.startswith("curl ") and " -X PUT " not in ln
]


def test_readme_opens_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    assert [ln.split("#")[0].strip() for ln in first_block.splitlines()] == ["make run", "make test"]


def test_readme_is_a_front_door():
    assert len(README.splitlines()) < 150
    assert "open **http://127.0.0.1:8000/**" in README
    assert len(re.findall(r"^\*\*\d\. .*\?\*\*", README, flags=re.M)) == 3  # three example questions
    assert len(re.findall(r"!\[[^]]*\]\(docs/screenshots/[^)]+\.png\)", README)) == 1


def test_readme_links_the_docs_for_each_reader():
    for doc in ("guide.md", "contributing.md", "tools.md", "operating.md", "design.md", "benchmarks.md"):
        assert f"](docs/{doc})" in README, doc


def test_the_docs_have_examples_for_each_user_group():
    assert len(CURLS) >= 10
    for name, group in (
        ("README.md", "researcher or commissioner"),
        ("docs/guide.md", "Researchers"),
        ("docs/guide.md", "Policy and commissioning teams"),
        ("docs/tools.md", "SPARQL"),
    ):
        assert group in DOCS[name], (name, group)


@pytest.mark.parametrize("line", [ln for _, ln in CURLS], ids=[f"{n}:{i}" for i, (n, _) in enumerate(CURLS)])
def test_readme_curl_example_answers_200(live_server, line):
    args = [a.replace("http://127.0.0.1:8000", live_server) for a in shlex.split(line)]
    out = subprocess.run([args[0], "-f", "-S", *args[1:]], capture_output=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr.decode()
    assert len(out.stdout) > 20


# The pages the README sends people to (outside the sh blocks): each opens in a browser.
PAGES = sorted(
    set(
        re.findall(
            r"(?<![`'])http://127\.0\.0\.1:8000/[^\s*)`']*", re.sub(r"```.*?```", "", README, flags=re.S)
        )
    )
)


@pytest.mark.parametrize("url", PAGES)
def test_readme_page_opens_in_a_browser(live_server, url):
    out = subprocess.run(
        [
            "curl",
            "-f",
            "-S",
            "-s",
            "-H",
            "Accept: text/html",
            url.replace("http://127.0.0.1:8000", live_server),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert b"<html" in out.stdout[:500].lower()
