"""The docs run: every example of the README and of every command's --help is run on the sample,
the README's command table is the real list of commands, docs/cli-reference.md is what --help
says, and no text points at a contract the repository does not hold (as sqlite-utils tests its
documentation).

Examples run as a user would type them, in a folder with ``data/`` (the repository's) and the
files they name (``my.cypher``, ``工单.xlsx``), against an embedded store holding the sample;
examples with ``--store neo4j`` run on the real Neo4j (the neo4j lane), PNG ones in the browser
lane, the city-sized and long-running ones in the slow lane.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shanzhi.cli import main
from shanzhi.config import Settings
from shanzhi.graph.stores import load
from shanzhi.graph.stores.embedded import EmbeddedStore
from shanzhi.loaders import load_dataset
from shanzhi.sample import sample_path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PASSWORD = "示例-correct-horse-9"


def _subcommands(group: click.Command) -> dict[str, click.Command]:
    """A group's commands by name (the root group imports each one when it is named)."""
    if not isinstance(group, click.Group):
        return {}
    ctx = click.Context(group)
    found = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return {name: cmd for name, cmd in found.items() if cmd is not None}


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, cmd in sorted(_subcommands(group).items()):
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


def _command(path: tuple[str, ...]) -> click.Command:
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = _subcommands(cmd)[name]
    return cmd


def help_examples() -> list[str]:
    """The lines under ``Example:`` of every command's help, each once."""
    found: dict[str, None] = {}
    for path in [(), *_commands(main)]:
        text = _command(path).help or ""
        for line in text.partition("Example:")[2].splitlines():
            if line.strip().startswith("shanzhi "):
                found[line.strip()] = None
    return list(found)


def readme_examples() -> list[str]:
    """The ``$ shanzhi …`` lines of the README's console blocks, without their comments."""
    found: dict[str, None] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("$ shanzhi "):
            found[re.sub(r"\s+#.*$", "", line[2:]).strip()] = None
    return list(found)


def lane(example: str) -> str:
    if "--store neo4j" in example:
        return "neo4j"
    if re.search(r"\.png\b", example):
        return "browser"
    streets = re.search(r"--streets (\d+)", example)
    if (streets and int(streets.group(1)) > 1) or re.match(r"shanzhi (demo|serve)\b", example):
        return "slow"
    return "fast"


# -- where the examples run ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded home holding the sample, copied for each example."""
    home = tmp_path_factory.mktemp("docs") / "home"
    load(EmbeddedStore(home), load_dataset(sample_path()))
    return home


MY_CYPHER = """// title: 按名称找节点 — Nodes by name
// answers: The nodes named $name, with their labels.
// param: name: string = 嘉利明珠城 — the name
// returns: uid, labels
MATCH (n:Entity {name: $name}) RETURN n.uid AS uid, labels(n) AS labels
"""


def _tickets(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工单编号", "诉求地址", "诉求内容", "诉求类别", "受理时间"])
    sheet.append(["T1", "共和新路2288弄12号", "楼道内堆物", "市容环境", "2025-07-01"])
    book.save(path)


@pytest.fixture
def workdir(tmp_path: Path, loaded: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with data/ and the files the examples name, and a home holding the sample."""
    (tmp_path / "data").symlink_to(REPO / "data")
    (tmp_path / "my.cypher").write_text(MY_CYPHER, encoding="utf-8")
    _tickets(tmp_path / "工单.xlsx")
    shutil.copytree(loaded, tmp_path / "home")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _needs(args: list[str]) -> list[list[str]]:
    """What must exist before an example: the account it changes."""
    if args[:2] in (["users", "passwd"], ["users", "remove"]) or args[:1] == ["access-log"]:
        return [["users", "add", "li", "--role", "admin"]]
    return []


def run_example(example: str, env: dict[str, str]) -> None:
    for part in example.split(" && "):
        args = shlex.split(part)
        assert args[0] == "shanzhi"
        for before in _needs(args[1:]):
            CliRunner().invoke(main, before, env=env, input=f"{PASSWORD}\n{PASSWORD}\n")
        result = CliRunner().invoke(main, args[1:], env=env, input=f"{PASSWORD}\n{PASSWORD}\n")
        assert "Traceback" not in result.output, result.output
        assert result.exit_code == 0, f"{part}\n{result.output}"


def _embedded_env(workdir: Path) -> dict[str, str]:
    return {"SHANZHI_HOME": str(workdir / "home"), "SHANZHI_STORE": "", "COLUMNS": "100"}


def _cases(examples: list[str], lanes: tuple[str, ...]) -> list[object]:
    marks = {"browser": [pytest.mark.browser], "slow": [pytest.mark.slow]}
    return [
        pytest.param(e, id=e, marks=marks.get(lane(e), []))
        for e in examples
        if lane(e) in lanes and not e.startswith("shanzhi serve")
    ]


EXAMPLES = dict.fromkeys(help_examples() + readme_examples())


@pytest.mark.parametrize("example", _cases(list(EXAMPLES), ("fast", "browser", "slow")))
def test_every_example_runs_on_the_embedded_store(example: str, workdir: Path) -> None:
    run_example(example, _embedded_env(workdir))


@pytest.mark.parametrize("example", _cases(list(EXAMPLES), ("neo4j",)))
def test_every_neo4j_example_runs(
    example: str, workdir: Path, neo4j_sample_settings: Settings
) -> None:
    s = neo4j_sample_settings
    env = _embedded_env(workdir) | {
        "NEO4J_URI": s.neo4j_uri,
        "NEO4J_USERNAME": s.neo4j_user,
        "NEO4J_USER": s.neo4j_user,
        "NEO4J_PASSWORD": s.neo4j_password,
        "NEO4J_DATABASE": s.neo4j_database,
    }
    run_example(example, env)


@pytest.fixture(scope="module")
def neo4j_sample_settings(neo4j_settings: Settings) -> Iterator[Settings]:
    """The sample in an emptied Neo4j, for the Neo4j examples."""
    from shanzhi.graph.stores.neo4j import Neo4jStore

    with Neo4jStore.connect(neo4j_settings) as store:
        store.clear()
        load(store, load_dataset(sample_path()))
    yield neo4j_settings
    with Neo4jStore.connect(neo4j_settings) as store:
        store.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_serve_example_serves(workdir: Path) -> None:
    """``shanzhi serve --port 8000``, on a free port instead of 8000: the page answers."""
    (example,) = [e for e in help_examples() if e.startswith("shanzhi serve")]
    port = _free_port()
    args = shlex.split(example.replace("--port 8000", f"--port {port}"))[1:]
    env = {**_embedded_env(workdir), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen([sys.executable, "-m", "shanzhi", *args], env=env, cwd=workdir)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the README's command table, the reference, the contracts' addresses --------------------------


def _table_commands() -> set[tuple[str, ...]]:
    """The commands the README's table names: `shanzhi a b …` and the `/ c …` beside it."""
    text = README.read_text(encoding="utf-8").split("## Commands", 1)[1]
    found: set[tuple[str, ...]] = set()
    for row in re.findall(r"^\| (`shanzhi .+?) \| ", text, flags=re.M):
        cells = [c for c in re.findall(r"`([^`]+)`", row) if re.match(r"[a-z]", c)]
        group: tuple[str, ...] = ()
        for cell in cells:
            words = cell.split()
            if words[0] == "shanzhi":
                path: tuple[str, ...] = ()
                for word in words[1:]:
                    cmd = _command(path)
                    if not isinstance(cmd, click.Group) or word not in _subcommands(cmd):
                        break
                    path = (*path, word)
                group = path[:-1]
                found.add(path)
            elif group and words[0] in _subcommands(_command(group)):
                found.add((*group, words[0]))
    return found


def test_the_readme_command_table_is_the_real_list_of_commands() -> None:
    leaves = {p for p in _commands(main) if not isinstance(_command(p), click.Group)}
    named = _table_commands()
    assert () not in named
    assert named - leaves == set(), "the table names commands that do not exist"
    assert leaves - named == set(), "commands missing from the README's table"


def test_the_cli_reference_is_what_help_says() -> None:
    import runpy

    tool = runpy.run_path(str(REPO / "tools" / "cli_reference.py"), run_name="cli_reference")
    written = (REPO / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert written == tool["render"](), "stale: run .venv/bin/python tools/cli_reference.py"


def test_no_text_points_at_a_contract_outside_the_repository() -> None:
    texts = [README, *(REPO / "docs").glob("*.md"), *(REPO / "shanzhi").rglob("*.py")]
    stale = [
        f"{p.relative_to(REPO)}:{i}"
        for p in texts
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?<![\w/])spec/(cli|records)\.md|shared/", line)
    ]
    assert stale == []
    for name in ("cli.md", "records.md", "DOMAIN.md", "cli-reference.md"):
        assert (REPO / "docs" / name).is_file(), name
