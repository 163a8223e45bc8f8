"""Constructs of real reports that used to break a run or lose text: notes called from lists,
quotes, table cells, captions and other notes; table rows longer or shorter than their header;
figure files named in Cyrillic; an article's editions replaced together or not at all; worker
processes that end with the run however it ends; pipes where files belong."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import pdf_raw_text

from conftest import FRONT, ROOT, SEED, small_article
from exporter.cli import cli
from exporter.formats import edition_names, load_format


def export(*args: str) -> object:
    return CliRunner().invoke(cli, [*args], catch_exceptions=False)


NOTES_EVERYWHERE = """Opening paragraph.[^a]

- A bulleted item with a note[^b] here.
- Another item.

1. A numbered item with a note[^c].

> A quotation with a note.[^d]

| Region | Share |
|---|--:|
| North[^e] | 40 |

Table: A caption with a note.[^f]

[^a]: The first note, which cites another note.[^g]

[^b]: The bulleted item's note.

[^c]: The numbered item's note.

[^d]: The quotation's note.

[^e]: The cell's note.

[^f]: The caption's note.

[^g]: The note cited from a note.
"""


@pytest.fixture(scope="module")
def notes_everywhere(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("notes")
    source = small_article(tmp / "notes-everywhere", NOTES_EVERYWHERE)
    out = tmp / "dist"
    result = export("all", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    return {p.name: p for p in out.iterdir()}


NOTE_TEXTS = [
    "The first note, which cites another note.", "The bulleted item's note.",
    "The numbered item's note.", "The quotation's note.", "The cell's note.",
    "The caption's note.", "The note cited from a note.",
]  # fmt: skip


def test_notes_called_from_lists_quotes_cells_captions_and_notes_build_every_edition(
    notes_everywhere,
):
    suffixes = {load_format(name)().filename("notes-everywhere") for name in edition_names()}
    assert suffixes <= set(notes_everywhere)


@pytest.mark.parametrize("name", ["notes-everywhere.pdf", "notes-everywhere-handout.pdf"])
def test_every_note_is_printed_once_in_the_pdfs(notes_everywhere, name):
    raw = pdf_raw_text(notes_everywhere[name].read_bytes())
    text = re.sub(r"\s+", " ", raw.replace("\u00ad", "")).replace("’", "'")
    for note in NOTE_TEXTS:
        assert text.count(note) == 1, note


def test_every_note_call_in_the_pdf_leads_to_its_note(notes_everywhere):
    from pypdf import PdfReader

    reader = PdfReader(notes_everywhere["notes-everywhere.pdf"])
    links = [annot.get_object() for page in reader.pages for annot in page.get("/Annots", [])]
    internal = [a for a in links if "/Dest" in a or ("/A" in a and "/D" in a["/A"])]
    assert len(internal) >= 7  # a call for each note, from wherever it stands


def test_a_note_that_calls_itself_is_refused_where_it_calls(tmp_path):
    source = small_article(tmp_path / "a", "Text.[^a]\n\n[^a]: See also[^a].\n")
    result = export("check", str(source))
    assert result.exit_code == 2
    line = len(FRONT.format(slug="notes-everywhere").splitlines()) + 3
    assert result.output.strip() == (f"{source}:{line}:15: note [^a] calls itself; a note may "
                                     "call other notes, not itself")  # fmt: skip


def test_a_row_longer_than_its_header_is_refused_at_its_first_extra_cell(tmp_path):
    body = "Text.\n\n> | one | two |\n> |---|---|\n> | a \\| b | three | EXCESSCELL |\n"
    source = small_article(tmp_path / "a", body)
    dist = tmp_path / "dist"
    result = export("all", str(source), "-o", str(dist))
    assert result.exit_code == 2
    line = len(FRONT.format(slug="notes-everywhere").splitlines()) + 5
    assert result.output.strip().startswith(f"{source}:{line}:22: this row has 3 cells and "
                                            "the header 2")  # fmt: skip
    assert not dist.exists() or not list(dist.iterdir())


def test_a_shorter_row_is_padded_and_said(tmp_path):
    source = small_article(tmp_path / "a", "Text.\n\n| one | two |\n|---|---|\n| short |\n")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 0, result.output
    line = len(FRONT.format(slug="notes-everywhere").splitlines()) + 5
    assert (f"warning: {source}:{line}:1: this row has 1 of the table's 2 cells; the rest "
            "are left empty") in result.output  # fmt: skip


def test_a_figure_file_named_in_cyrillic_is_found(tmp_path):
    folder = tmp_path / "a"
    (folder / "рисунки").mkdir(parents=True)
    sample = ROOT / "source" / "a4-and-letter" / "figures"
    png = next(sample.glob("*.png"))
    (folder / "рисунки" / "рисунок.png").write_bytes(png.read_bytes())
    source = small_article(folder, 'Text.\n\n![Диаграмма.](рисунки/рисунок.png "Подпись.")\n')
    result = export("all", str(source), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert "Подпись." in pdf_raw_text((tmp_path / "dist" / "notes-everywhere.pdf").read_bytes())


# -- an article's editions move together


def test_when_one_edition_fails_none_of_the_article_is_replaced(tmp_path, monkeypatch):
    from exporter.formats.pdf import PdfFormat

    dist = tmp_path / "dist"
    assert export("all", str(SEED), "-o", str(dist)).exit_code == 0
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    corrected = tmp_path / "seed"
    corrected.mkdir()
    (corrected / "article.md").write_text(SEED.read_text("utf-8").replace(
        "For a while", "For some while"), encoding="utf-8")  # fmt: skip

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(PdfFormat, "write", broken)
    result = CliRunner().invoke(cli, ["all", str(corrected / "article.md"), "-o", str(dist)])
    assert result.exit_code == 1
    assert "pdf: " in result.output and "rendering failed: the renderer broke" in result.output
    assert "not written:" in result.output and "the previous ones are kept" in result.output
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before


# -- processes and files


def test_jobs_beyond_the_cores_are_capped_and_said(tmp_path):
    result = CliRunner().invoke(cli, ["all", str(SEED), "-o", str(tmp_path), "--jobs", "1000"])
    assert result.exit_code == 0, result.output
    cores = os.cpu_count() or 1
    assert f"--jobs 1000: {min(cores, 5)} worker processes are started" in result.output


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes")
@pytest.mark.parametrize("when", ["reading the sources", "rendering"])
def test_workers_end_when_the_run_is_killed(tmp_path, when):
    """Killed while its sources are read (in a process of their own) or while it renders
    (in worker processes), a run leaves no process behind."""
    run = subprocess.Popen(
        [sys.executable, "-m", "exporter", "all", str(ROOT / "tests" / "corpus"), "-o",
         str(tmp_path / "dist"), "--jobs", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wanted = 1 if when == "reading the sources" else 2
    try:
        deadline = time.monotonic() + 60
        while len(_children(run.pid)) < wanted and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = _children(run.pid)
        assert len(workers) >= wanted, f"the run started no process for {when}"
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        time.sleep(1.0)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        if run.poll() is None:
            run.kill()


def test_an_article_that_is_a_named_pipe_is_refused_without_waiting(tmp_path):
    folder = tmp_path / "piped"
    folder.mkdir()
    os.mkfifo(folder / "article.md")
    done = subprocess.run([sys.executable, "-m", "exporter", "check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().endswith("not a regular file (a pipe, socket or device); an "
                                        "article is a file")  # fmt: skip
