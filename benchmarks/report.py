"""The benchmark's tables: timings per scale, ratios to floor and peers, issue 24's targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from measure import ImportProfile, Stats

Results = dict[int, dict[str, Stats]]

LABELS = {
    "ours:all": "exporter all (five editions), caches warm",
    "ours:all-cold": "exporter all (five editions), cold: an empty cache folder",
    "ours:all-served": "exporter all, made by `exporter serve`, caches warm",
    "ours:all-served-cold": "exporter all, made by `exporter serve`, cold: an empty cache folder",
    "ours:pdf": "exporter pdf",
    "ours:handout": "exporter handout",
    "ours:docx": "exporter docx",
    "ours:epub": "exporter epub",
    "ours:html": "exporter html",
    "floor:all": "floor: all five editions, one process",
    "floor:pdf": "floor: reportlab PDF",
    "floor:handout": "floor: reportlab PDF in two columns",
    "floor:docx": "floor: python-docx",
    "floor:epub": "floor: ebooklib EPUB",
    "floor:html": "floor: an HTML page",
    "peer:pandoc-docx": "pandoc → DOCX",
    "peer:pandoc-epub": "pandoc → EPUB",
    "peer:weasyprint": "pandoc → HTML → WeasyPrint PDF",
    "peer:rst2pdf": "rst2pdf (PT Serif embedded)",
    "peers:route": "peers' route: pandoc DOCX + EPUB + WeasyPrint (sum)",
}
# Our case → (floor case, peer case) it is compared with in the timing tables.
COMPARED = {
    "ours:all": ("floor:all", "peers:route"),
    "ours:all-cold": ("floor:all", "peers:route"),
    "ours:all-served": ("floor:all", "peers:route"),
    "ours:all-served-cold": ("floor:all", "peers:route"),
    "ours:pdf": ("floor:pdf", "peer:rst2pdf"),
    "ours:handout": ("floor:handout", "peer:weasyprint"),
    "ours:docx": ("floor:docx", "peer:pandoc-docx"),
    "ours:epub": ("floor:epub", "peer:pandoc-epub"),
    "ours:html": ("floor:html", None),
}
ROUTE = ("peer:pandoc-docx", "peer:pandoc-epub", "peer:weasyprint")


def median(results: Results, scale: int, key: str) -> float | None:
    """The median seconds of a case, the peers' route as the sum of its three medians."""
    cases = results.get(scale, {})
    if key == "peers:route":
        parts = [median(results, scale, k) for k in ROUTE]
        return None if None in parts else sum(p for p in parts if p is not None)
    stats = cases.get(key)
    return stats.median if stats is not None and stats.ok else None


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def _row(key: str, stats: Stats | None, results: Results, scale: int) -> str:
    label = LABELS[key]
    if stats is None or not stats.ok:
        note = stats.error if stats is not None and stats.error else "not run"
        return f"| {label} | {note} | | | | | | |"
    floor, peer = COMPARED.get(key, (None, None))  # type: ignore[assignment]
    ours = stats.median
    vs_floor = _ratio(ours, median(results, scale, floor)) if floor else ""
    vs_peer = _ratio(ours, median(results, scale, peer)) if peer else ""
    peer_name = f" ({LABELS[peer].split(':')[0].split(' (')[0]})" if peer and vs_peer != "—" else ""
    spread = f"{stats.low:.3f}–{stats.high:.3f}"
    memory = f"{stats.peak_mib:.0f} | {stats.tree_mib:.0f}"
    return (f"| {label} | {ours:.3f} | {spread} | {len(stats.times)} | {memory} "
            f"| {vs_floor} | {vs_peer}{peer_name} |")  # fmt: skip


def timing_tables(results: Results, words: dict[int, int], skipped: dict[str, str]) -> list[str]:
    """One table per scale: median, min–max, runs, peak memory, ratios to floor and peer."""
    lines: list[str] = []
    for scale, cases in results.items():
        lines += [f"### {scale}× ({words.get(scale, 0):,} body words)", ""]
        lines += ["| case | median s | min–max s | runs | peak MiB | tree MiB | ours / floor "
                  "| ours / peer |", "|---|--:|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
        for key in LABELS:
            if key == "peers:route":
                value = median(results, scale, key)
                if value is not None:
                    lines.append(f"| {LABELS[key]} | {value:.3f} | | | | | | |")
            elif key in cases:
                lines.append(_row(key, cases[key], results, scale))
            elif key in skipped:
                lines.append(f"| {LABELS[key]} | skipped: {skipped[key]} | | | | | | |")
        lines.append("")
    return lines


@dataclass(frozen=True)
class Target:
    """One line of the targets: a measured value against its limit (None: reported only)."""

    name: str
    value: Callable[[Results], float | None]
    limit: float | None
    unit: str = "×"
    strict: bool = False


def _ratio_of(scale: int, ours: str, other: str) -> Callable[[Results], float | None]:
    def value(results: Results) -> float | None:
        a, b = median(results, scale, ours), median(results, scale, other)
        return a / b if a is not None and b else None

    return value


def _peak(scale: int, key: str) -> Callable[[Results], float | None]:
    def value(results: Results) -> float | None:
        stats = results.get(scale, {}).get(key)
        return stats.peak_mib if stats is not None and stats.ok and stats.peak_kib else None

    return value


def _tree(scale: int, key: str) -> Callable[[Results], float | None]:
    def value(results: Results) -> float | None:
        stats = results.get(scale, {}).get(key)
        return stats.tree_mib if stats is not None and stats.ok and stats.tree_kib else None

    return value


def _seconds(scale: int, key: str) -> Callable[[Results], float | None]:
    return lambda results: median(results, scale, key)


def targets(top: int) -> list[Target]:
    """Issue 24's targets; the "100×" ones use the largest scale measured."""
    items = [
        Target("exporter all, cold / floor all, 1×", _ratio_of(1, "ours:all-cold", "floor:all"),
               2.5),
        Target("exporter all, cold / peers' route, 1×",
               _ratio_of(1, "ours:all-cold", "peers:route"), 0.4),
        Target("exporter all, caches warm / floor all, 1×", _ratio_of(1, "ours:all", "floor:all"),
               1.5),
        Target(f"exporter all / floor all, {top}×", _ratio_of(top, "ours:all", "floor:all"), 1.5),
        Target("served: exporter all, cold / floor all, 1×",
               _ratio_of(1, "ours:all-served-cold", "floor:all"), 2.5),
        Target("served: exporter all, cold / peers' route, 1×",
               _ratio_of(1, "ours:all-served-cold", "peers:route"), 0.4),
        Target("served: exporter all, caches warm / floor all, 1×",
               _ratio_of(1, "ours:all-served", "floor:all"), 1.5),
    ]  # fmt: skip
    for fmt in ("pdf", "handout", "docx", "epub", "html"):
        items.append(Target(f"exporter {fmt} / floor {fmt}, {top}×",
                            _ratio_of(top, f"ours:{fmt}", f"floor:{fmt}"), 1.5))  # fmt: skip
    # the measure: no process above 100 MiB, the process tree's PSS reported
    for key in ("ours:all", "ours:pdf", "ours:handout", "ours:docx", "ours:epub", "ours:html"):
        name = f"memory: the largest process (peak RSS), {LABELS[key]}, {top}×"
        items.append(Target(name, _peak(top, key), 100, " MiB"))
    items.append(Target(f"memory: the process tree's PSS, {LABELS['ours:all']}, {top}×",
                        _tree(top, "ours:all"), None, " MiB"))  # fmt: skip
    items.append(Target("exporter --help / python -c pass",
                        _ratio_of(0, "startup:help", "startup:python"), 4.0))  # fmt: skip
    return items


def _verdict(target: Target, value: float | None) -> str:
    if value is None:
        return "not measured (a case failed or a peer is missing)"
    if target.limit is None:
        return "reported"
    met = value < target.limit if target.strict else value <= target.limit
    if met:
        return "**met**"
    over, cut = value / target.limit, 1 - target.limit / value
    return f"**missed**: {over:.3g}× the limit (needs −{cut:.1%})"


def target_table(results: Results, top: int) -> list[str]:
    """The targets, each met or missed by how much."""
    lines = ["| target | measured | limit | verdict |", "|---|--:|--:|---|"]
    for target in targets(top):
        value = target.value(results)
        shown = "—" if value is None else f"{value:.2f}{target.unit}"
        bound = "—" if target.limit is None else (
            f"{'<' if target.strict else '≤'} {target.limit:g}{target.unit}")  # fmt: skip
        lines.append(f"| {target.name} | {shown} | {bound} | {_verdict(target, value)} |")
    return lines


def import_table(profiles: dict[str, ImportProfile]) -> list[str]:
    """Import time per command and its biggest top-level imports; heavy libraries named."""
    lines = ["| command | imports s | heavy libraries imported | biggest top-level imports (s) |",
             "|---|--:|---|---|"]  # fmt: skip
    for command, prof in profiles.items():
        heavy = ", ".join(prof.heavy) or "none"
        top = ", ".join(f"{name} {sec:.3f}" for name, sec in prof.top[:5])
        lines.append(f"| `{command}` | {prof.total:.3f} | {heavy} | {top} |")
    return lines
