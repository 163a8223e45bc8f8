"""The command line as an editor uses it: messages, exit codes, outputs, plug-ins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SEED
from exporter.cli import cli
from exporter.formats import format_names

PLUGIN_DIR = Path(__file__).parent / "fixtures" / "plugin"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def plugin(monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))


def broken_copy(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8").replace("votes: 24", "votes: -3")
    path = tmp_path / "broken" / "article.md"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_help_names_every_format_and_the_exit_codes(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in (*format_names(), "all", "list", "check"):
        assert f"  {name} " in result.output
    assert "2 bad input" in result.output


def test_list_shows_builtin_formats(runner):
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines()]
    assert set(format_names()) <= set(names)


def test_check_accepts_the_seed(runner):
    result = runner.invoke(cli, ["check", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_check_reports_a_broken_source_in_one_line(runner, tmp_path):
    path = broken_copy(tmp_path)
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"{path}:{_line(path, 'votes: -3')}:16: polls[0].answers[2].votes: -3 is less than 0"
    ]


def test_check_warns_about_published_shares_that_disagree_as_export_does(runner, tmp_path):
    path = tmp_path / "article.md"
    path.write_text(SEED.read_text("utf-8").replace("published-share: 19", "published-share: 20"))
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert "warning: " in result.stderr
    assert "published share 20% differs from 19% computed from the votes" in result.stderr


def test_broken_source_exports_nothing_and_keeps_dist(runner, tmp_path, plugin):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "broken.txt").write_text("previous edition")
    result = runner.invoke(cli, ["plaintext", str(broken_copy(tmp_path)), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["broken.txt"]
    assert (out / "broken.txt").read_text() == "previous edition"


def test_third_party_format_runs_from_list_and_all(runner, tmp_path, plugin):
    listed = runner.invoke(cli, ["list"])
    assert "plaintext" in listed.output
    out = tmp_path / "out"
    result = runner.invoke(cli, ["plaintext", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "tajikistan-choice-amid-sanctions.txt").read_text("utf-8")
    assert text.startswith("Does Tajikistan Have a Choice Amid Anti-Russian Sanctions?")
    assert "tajikistan-choice-amid-sanctions.txt" in result.output


def test_unknown_style_is_a_usage_error(runner, tmp_path, plugin):
    result = runner.invoke(cli, ["plaintext", str(SEED), "--style", "fancy", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().startswith("style: unknown style 'fancy'")


def test_missing_source_is_a_usage_error(runner, tmp_path, plugin):
    result = runner.invoke(cli, ["plaintext", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_unwritable_output_folder_exits_1(runner, tmp_path, plugin):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(cli, ["plaintext", str(SEED), "-o", str(blocker / "dist")])
    assert result.exit_code == 1
    assert result.output.startswith("output: ")
    assert len(result.output.strip().splitlines()) == 1


def test_bad_source_date_epoch_is_a_usage_error(runner, tmp_path, plugin, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(cli, ["plaintext", str(SEED), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.output


@pytest.mark.parametrize("command", [["-m", "exporter"], ["exporter"], ["export"]])
def test_module_and_console_entry_points_run(command):
    bin_dir = Path(sys.executable).parent
    argv = [sys.executable, *command] if command[0] == "-m" else [str(bin_dir / command[0])]
    result = subprocess.run([*argv, "list"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert "epub" in result.stdout


def _line(path: Path, fragment: str) -> int:
    lines = path.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


OUTPUT_LIBRARIES = ("reportlab", "docx", "ebooklib", "PIL", "lxml", "pyphen")


@pytest.mark.parametrize("args", [["--help"], ["list"], ["check", "--help"]])
def test_help_and_list_import_no_output_library(args):
    code = (
        "import sys; from exporter.cli import cli\n"
        "try:\n    cli(prog_name='exporter')\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {OUTPUT_LIBRARIES!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_export_warns_about_published_shares_that_disagree(runner, tmp_path, plugin):
    path = tmp_path / "article.md"
    path.write_text(SEED.read_text("utf-8").replace("published-share: 19", "published-share: 20"))
    result = runner.invoke(cli, ["plaintext", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "differs from 19% computed" in result.stderr


def test_an_unknown_command_names_the_formats_there_are(runner):
    result = runner.invoke(cli, ["xyz"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"usage: unknown command 'xyz' (formats: {', '.join(format_names())}; "
        "commands: all, list, check, watch, serve)"
    ]
    assert {"docx", "epub", "handout", "html", "pdf"} <= set(format_names())


def test_output_to_a_reader_that_has_gone_is_no_internal_error():
    """`exporter list | head -1`: what is left to print goes nowhere, without a message."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader has gone before anything is printed
    try:
        done = subprocess.run([sys.executable, "-c", "from exporter.cli import main\nmain()",
                               "list"], stdout=write, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, timeout=120)  # fmt: skip
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 1


def test_a_command_started_with_its_output_closed_shows_no_traceback():
    done = subprocess.run([sys.executable, "-c", "from exporter.cli import main\nmain()", "list"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                          timeout=120, preexec_fn=lambda: __import__("os").close(1))  # fmt: skip
    assert "Traceback" not in done.stderr and done.stderr == ""
