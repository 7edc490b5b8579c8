"""The README's ```python blocks run, and its `forecast` commands parse.

Blocks of one document run in order in one namespace, with small settings
substituted (epochs=1, units=4, n_splits=1) so the whole tour takes seconds.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from forecast.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

_SMALL = [
    (re.compile(r"\bepochs=\d+"), "epochs=1"),
    (re.compile(r"\bunits=\d+"), "units=4"),
    (re.compile(r"\bn_splits=\d+"), "n_splits=1"),
]


def _blocks(path: Path, lang: str) -> list[str]:
    if not path.is_file():
        return []
    return re.findall(rf"^```{lang}[ \t]*\n(.*?)^```", path.read_text(encoding="utf-8"),
                      flags=re.S | re.M)


def _small(code: str) -> str:
    for pattern, repl in _SMALL:
        code = pattern.sub(repl, code)
    return code


def test_there_is_a_tour():
    assert len(_blocks(README, "python")) >= 5, "the README's tour has no ```python blocks"


def test_readme_opens_with_the_two_commands():
    first = _blocks(README, "bash")[0].splitlines()
    assert [line.split("#")[0].strip() for line in first] == ["./run.sh demo", "./run.sh test"]
    assert "./run.sh test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", [README], ids=lambda p: p.name)
def test_python_blocks_run(doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files the tour writes land here
    namespace: dict = {"__name__": "__tour__"}
    for i, block in enumerate(_blocks(doc, "python")):
        code = compile(_small(block), f"{doc.name}[python block {i}]", "exec")
        exec(code, namespace)  # noqa: S102 - the documentation's own examples


def _commands(path: Path) -> list[list[str]]:
    commands = []
    for block in _blocks(path, "bash"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("forecast "):
                commands.append(shlex.split(line)[1:])
    return commands


@pytest.mark.parametrize("doc", [README], ids=lambda p: p.name)
def test_documented_commands_parse(doc):
    parser = build_parser()
    for argv in _commands(doc):
        args = parser.parse_args(argv)
        assert args.command in ("demo", "backtest", "run")
