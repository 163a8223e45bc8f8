"""Benchmark inputs: the seed article at N× its body length as our source, Markdown and RST."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

from exporter import model as m
from exporter.fonts import font_family
from exporter.source import load_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "tajikistan-choice-amid-sanctions" / "article.md"
_DIRECTIVE = re.compile(r"^:::\s*(\w+)")


@dataclass(frozen=True)
class Corpus:
    """The files of one scale: our source, the peers' sources and their style files."""

    scale: int
    folder: Path
    source: Path
    markdown: Path
    rst: Path
    rst_style: Path
    html_header: Path
    words: int


def _split(text: str) -> tuple[str, list[str]]:
    """Front matter (with its fences) and the body's blank-line separated blocks."""
    _, front, body = text.split("---\n", 2)
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", body) if b.strip()]
    merged: list[str] = []
    for block in blocks:
        if merged and merged[-1].startswith(":::") and merged[-1].count(":::") == 1:
            merged[-1] += "\n" + block
        else:
            merged.append(block)
    return f"---\n{front}---\n", merged


def scaled_body(blocks: list[str], scale: int) -> list[str]:
    """Body paragraphs ``scale`` times; the callout kept in the first copy, the poll in the last."""
    out: list[str] = []
    for copy in range(scale):
        for block in blocks:
            kind = _DIRECTIVE.match(block)
            if kind and kind.group(1) == "poll" and copy != scale - 1:
                continue
            if kind and kind.group(1) != "poll" and copy != 0:
                continue
            out.append(block)
    return out


def _rst_text(text: str) -> str:
    return re.sub(r"([\\*`|_\[\]])", r"\\\1", text)


def _rst_heading(text: str, mark: str) -> list[str]:
    line = mark * (len(text) + 2)
    return [line, _rst_text(text), line, ""]


def _poll_rst(poll: m.Poll) -> list[str]:
    lines = [f"**{_rst_text(poll.question)}**", "", ".. list-table::", "   :header-rows: 1", ""]
    lines += ["   * - Answer", "     - Votes", "     - Share"]
    for answer in poll.answers:
        lines.append(f"   * - {_rst_text(answer.label)}")
        lines += [f"     - {answer.votes}", f"     - {answer.share}%"]
    return [*lines, "", f"{poll.status}. Total votes: {poll.total}.", ""]


def _poll_markdown(poll: m.Poll) -> list[str]:
    lines = [f"**{poll.question}**", "", "| Answer | Votes | Share |", "|---|--:|--:|"]
    lines += [f"| {a.label} | {a.votes} | {a.share}% |" for a in poll.answers]
    return [*lines, "", f"{poll.status}. Total votes: {poll.total}.", ""]


def _body_for_peers(article: m.Article, scale: int, rst: bool) -> list[str]:
    """The body blocks in the peers' markup, repeated like ``scaled_body`` does."""
    out: list[str] = []
    for copy in range(scale):
        for block in article.body:
            if isinstance(block, m.PollBlock):
                if copy == scale - 1:
                    out += _poll_rst(block.poll) if rst else _poll_markdown(block.poll)
            elif isinstance(block, m.Callout):
                if copy == 0:
                    texts = list(m.block_texts(block.blocks))
                    if rst:
                        out += [".. note::", f"   **{_rst_text(block.label)}**", ""]
                        out += [f"   {_rst_text(t)}" for t in texts] + [""]
                    else:
                        out += [f"> **{block.label}**", ">"] + [f"> {t}" for t in texts] + [""]
            else:
                out += [_rst_text(t) if rst else t for t in m.block_texts((block,))] + [""]
    return out


def _front_for_peers(article: m.Article, rst: bool) -> list[str]:
    lang = article.lang
    title = article.title[lang]
    others = [text for _, text in article.title.others(lang)]
    author = article.authors[0]
    affiliation = "; ".join(a.in_lang(lang) for a in author.affiliations)
    publisher = article.publisher.name.in_lang(lang)
    summary = list(m.block_texts(article.summary))
    if rst:
        lines = _rst_heading(title, "=") + [_rst_text(t) + "\n" for t in others]
        lines += [f":Author: {_rst_text(author.name[lang])}"]
        lines += [f":Affiliation: {_rst_text(affiliation)}"]
        lines += [f":Publisher: {_rst_text(publisher)}", f":Date: {article.published}", ""]
        return lines + [f"**{_rst_text(t)}**\n" for t in summary]
    meta = {"title": title, "subtitle": " / ".join(others), "author": author.name[lang],
            "date": str(article.published), "lang": lang, "publisher": publisher}  # fmt: skip
    yaml = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    lines = ["---", *yaml, "---", ""]
    return lines + [f"*{affiliation}*", ""] + [f"**{t}**\n" for t in summary]


def _rst_style(folder: Path) -> Path:
    """An rst2pdf style sheet (YAML) that embeds PT Serif and uses it for every text style."""
    fam = font_family("PT Serif")
    faces = [fam.regular, fam.bold, fam.italic, fam.bolditalic]
    lines = ["embeddedFonts:", "  - [" + ", ".join(json.dumps(str(p)) for p in faces) + "]"]
    lines.append("fontsAlias:")
    for kind in ("Serif", "Sans", "Mono"):
        for suffix, path in zip(("", "Bold", "Italic", "BoldItalic"), faces, strict=True):
            lines.append(f"  font{kind}{suffix}: {path.stem}")
    path = folder / "pt-serif.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _html_header(folder: Path) -> Path:
    """CSS for the pandoc → WeasyPrint route: PT Serif faces from the installed font files."""
    fam = font_family("PT Serif")
    rules = []
    faces = ((fam.regular, 400, "normal"), (fam.bold, 700, "normal"),
             (fam.italic, 400, "italic"), (fam.bolditalic, 700, "italic"))  # fmt: skip
    for path, weight, style in faces:
        rules.append(
            f"@font-face {{ font-family: 'PT Serif'; src: url('{path.as_uri()}');"
            f" font-weight: {weight}; font-style: {style}; }}"
        )
    rules.append("* { font-family: 'PT Serif' !important; }")
    rules.append("body { font-size: 10.5pt; line-height: 1.35; max-width: none; }")
    rules.append("@page { size: A4; margin: 2cm; }")
    path = folder / "weasy-header.html"
    path.write_text("<style>\n" + "\n".join(rules) + "\n</style>\n", encoding="utf-8")
    return path


def make_corpus(scale: int, folder: Path, seed: Path = SEED) -> Corpus:
    """Write the seed at ``scale``× into ``folder`` (our source plus the peers' inputs)."""
    folder.mkdir(parents=True, exist_ok=True)
    front, blocks = _split(seed.read_text(encoding="utf-8"))
    source_dir = folder / "source"
    source_dir.mkdir(exist_ok=True)
    source = source_dir / "article.md"
    source.write_text(front + "\n" + "\n\n".join(scaled_body(blocks, scale)) + "\n", "utf-8")
    article = load_article(seed)
    markdown = folder / "peer.md"
    lines = _front_for_peers(article, rst=False) + _body_for_peers(article, scale, rst=False)
    markdown.write_text("\n".join(lines), encoding="utf-8")
    rst = folder / "peer.rst"
    lines = _front_for_peers(article, rst=True) + _body_for_peers(article, scale, rst=True)
    rst.write_text("\n".join(lines), encoding="utf-8")
    words = len(source.read_text(encoding="utf-8").split("---\n", 2)[2].split())
    styles = _rst_style(folder), _html_header(folder)
    return Corpus(scale, folder, source, markdown, rst, *styles, words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scale", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    corpus = make_corpus(args.scale, args.folder)
    print(f"{corpus.source}: {corpus.words} body words")


if __name__ == "__main__":
    main()
