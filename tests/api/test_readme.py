"""The README's curl examples work as written against a real server."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

README = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
# Write examples need a token and a package file: tests/api/test_uploads.py makes the same requests.
CURLS = [ln for ln in re.findall(r"^curl .*$", README, flags=re.M) if " -X PUT " not in ln]


def test_readme_opens_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    assert [ln.split("#")[0].strip() for ln in first_block.splitlines()] == ["make run", "make test"]


def test_readme_has_examples_for_each_user_group():
    assert len(CURLS) >= 10
    for group in ("Researchers", "Policy and commissioning teams", "Tools"):
        assert group in README


@pytest.mark.parametrize("line", CURLS, ids=range(len(CURLS)))
def test_readme_curl_example_answers_200(live_server, line):
    args = [a.replace("http://127.0.0.1:8000", live_server) for a in shlex.split(line)]
    out = subprocess.run([args[0], "-f", "-S", *args[1:]], capture_output=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr.decode()
    assert len(out.stdout) > 20
