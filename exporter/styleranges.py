"""Ranges: every number a style sets (the page, its columns, each role's sizes, spaces,
indents, padding and border), checked before anything is rendered or written, each problem
reported at the line of the file that sets the value."""

from __future__ import annotations

import json
from typing import Any

from exporter.style import PAPER_SIZES, PageStyle, StyleSheet, parse_length
from exporter.stylefile import Places, StyleProblem

MM = 72 / 25.4
MIN_TEXT_MM = 50  # the text area must be at least this wide and tall on every paper
MIN_COLUMN_MM = 25  # and each column at least this wide
MEASURE_CHARS = (30, 150)  # a measure given in characters
MAX_COLUMNS = 4
SIZE_PT = (1.0, 200.0)  # a type size
MIN_LEADING_SHARE = 0.8  # the leading at least this share of the size: lines never overprint
MAX_LEADING_PT = 400.0
MAX_SPACE_MM = MIN_TEXT_MM  # space before or after a block: it fits in any text area
MAX_INSET_SHARE = 0.5  # a role's indents, padding and border: at most half of a column
_PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
_NOT_NEGATIVE = ("first-indent", "left-indent", "border-width", "padding")
_ROLE_LENGTHS = {"size", "leading", "space-before", "space-after", *_NOT_NEGATIVE}


class _Report:
    """The problems found, each reported at the key that sets the value."""

    def __init__(self, raw: dict[str, Any], places: Places, where: str) -> None:
        self.raw, self.places, self.where = raw, places, where
        self.problems: dict[tuple[str, int], StyleProblem] = {}

    def add(self, keys: tuple[str, ...], message: str) -> None:
        path, line = self.places.get(keys, (self.where, 0))
        node: Any = self.raw
        for key in keys:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        shown = "(its default)" if node == {} else json.dumps(node, ensure_ascii=False)
        text = f"[{'.'.join(keys[:-1])}] {keys[-1]} = {shown} {message}"
        self.problems.setdefault((path, line), StyleProblem(path, line, text))

    def blame(self, candidates: list[tuple[tuple[str, ...], float]], message: str) -> None:
        """Report ``message`` at the largest of the ``candidates`` (key, share) that the
        style itself sets, else that a style it extends sets (else at the first)."""
        written = [(self.places[keys][0] == self.where, share, keys)
                   for keys, share in candidates if keys in self.places]  # fmt: skip
        self.add(max(written)[2] if written else candidates[0][0], message)


def check_ranges(
    raw: dict[str, Any], sheet: StyleSheet, places: Places, where: str
) -> list[StyleProblem]:
    """Every value of a resolved style (``raw`` as merged, read from ``where``) that is out
    of its range, each at the line of the file that sets it: the page (margins that leave a
    text area on A4 and on US Letter, since ``--paper`` may set it on either; columns and
    their gap), and each role's sizes, spaces, indents, padding and border."""
    report = _Report(raw, places, where)
    page_fits = _check_page(report, raw.get("page", {}), sheet.page)
    _check_roles(report, raw.get("roles", {}), sheet, page_fits)
    return sorted(report.problems.values(), key=lambda p: (p.path, p.line))


def _check_page(report: _Report, raw: dict[str, Any], page: PageStyle) -> bool:
    """Check the page's values; whether its text area and columns are sound."""
    lengths = {"margin-top": page.margin_top, "margin-bottom": page.margin_bottom,
               "margin-left": page.margin_left, "margin-right": page.margin_right,
               "column-gap": page.column_gap}  # fmt: skip
    sound = True
    for key, length in lengths.items():
        if length.pt < 0:
            report.add(("page", key), "is negative: a margin or gap is 0 or more")
            sound = False
    if not 1 <= page.columns <= MAX_COLUMNS:
        report.add(("page", "columns"), f"is not 1 to {MAX_COLUMNS} columns")
        sound = False
    if page.header_from_page < 1:
        report.add(("page", "header-from-page"),
                   "is not a page: the running head starts on page 1 or later")  # fmt: skip
    if page.max_pages < 0:
        report.add(("page", "max-pages"), "is negative: 0 (no page budget) or more pages")
    if page.measure_chars and not MEASURE_CHARS[0] <= page.measure_chars <= MEASURE_CHARS[1]:
        low, high = MEASURE_CHARS
        report.add(("page", "measure"), f"is not a measure of {low} to {high} characters")
    if 0 < page.measure.pt < MIN_TEXT_MM * MM - 1e-6 or page.measure.pt < 0:
        report.add(("page", "measure"), f"is not 0 (margin to margin) nor a text width of "
                   f"{MIN_TEXT_MM} mm or more")  # fmt: skip
    floor = page.min_body_size.pt
    if floor < 0 or floor > SIZE_PT[1]:
        sizes = f"{SIZE_PT[0]:g} to {SIZE_PT[1]:g} pt"
        report.add(("page", "min-body-size"), f"is not 0 (none) nor a type size of {sizes}")
    elif page.max_pages > 0 and floor < SIZE_PT[0]:
        report.blame([(("page", "min-body-size"), 1), (("page", "max-pages"), 0)],
                     f"leaves the body to be set as small as it takes to fit {page.max_pages} "
                     f"pages: a page budget needs a min-body-size of {SIZE_PT[0]:g} pt or "
                     "more")  # fmt: skip
    if not sound:
        return False
    return _check_text_area(report, page)


def _check_text_area(report: _Report, page: PageStyle) -> bool:
    """Whether the margins leave a text area at least ``MIN_TEXT_MM`` wide and tall, and
    the columns ``MIN_COLUMN_MM`` wide, on the narrowest and the shortest paper."""
    narrow = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][0])
    short = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][1])
    sound = True
    for paper, across, near, far in (
        (narrow, 0, "margin-left", "margin-right"),
        (short, 1, "margin-top", "margin-bottom"),
    ):
        whole = PAPER_SIZES[paper][across]
        first, second = (getattr(page, k.replace("-", "_")).pt for k in (near, far))
        text = whole - first - second
        if text < MIN_TEXT_MM * MM - 1e-6:
            extent = "wide" if across == 0 else "tall"
            report.blame([(("page", near), first), (("page", far), second)],
                         f"leaves no room for text on {_paper_name(paper, page)}: "
                         f"{whole / MM:.0f} mm {extent} less margins of {first / MM:.0f} and "
                         f"{second / MM:.0f} mm is {text / MM:.0f} mm, and the text needs at "
                         f"least {MIN_TEXT_MM} mm")  # fmt: skip
            sound = False
    if not sound:
        return False
    text = PAPER_SIZES[narrow][0] - page.margin_left.pt - page.margin_right.pt
    if page.measure.pt > 0:
        text = min(text, page.measure.pt)
    column = (text - page.column_gap.pt * (page.columns - 1)) / page.columns
    if column < MIN_COLUMN_MM * MM - 1e-6:
        too_many = text / page.columns < MIN_COLUMN_MM * MM  # even with no gap
        report.blame([(("page", "columns"), too_many), (("page", "column-gap"), not too_many)],
                     f"leaves columns {column / MM:.0f} mm wide on "
                     f"{_paper_name(narrow, page)}, less than the {MIN_COLUMN_MM} mm each "
                     "needs")  # fmt: skip
        return False
    return True


def _paper_name(paper: str, page: PageStyle) -> str:
    """``A4``, and how a style on other paper comes to be set on it."""
    name = _PAPER_NAMES[paper]
    return name if paper == page.size else f"{name} (with --paper {paper})"


def _check_roles(
    report: _Report, raw: dict[str, dict[str, Any]], sheet: StyleSheet, page_fits: bool
) -> None:
    """Each role's lengths as written, then each resolved role: its leading against its
    size, its indents, padding and border against the narrowest column."""
    unsound: set[str] = set()  # roles whose own values were reported
    for name, keys in raw.items():
        for key in keys.keys() & _ROLE_LENGTHS:
            message = _role_length_problem(key, parse_length(keys[key], key).pt)
            if message:
                report.add(("roles", name, key), message)
                unsound.add(name)
    for name, role in sheet.roles.items():
        setter = {key: _setter(raw, name, key) for key in ("size", "leading")}
        if name in unsound or name not in setter.values():
            continue  # reported, or the same as the role it inherits both from
        if role.size.pt < SIZE_PT[0] or role.leading.pt <= 0:
            continue  # an inherited value out of range: reported where it is set
        if role.leading.pt < MIN_LEADING_SHARE * role.size.pt - 1e-6:
            share = f"{MIN_LEADING_SHARE:g} × the size"
            own = [k for k in ("leading", "size") if setter[k] == name]  # one or both
            mine = [k for k in own
                    if report.places.get(("roles", name, k), ("", 0))[0] == report.where]
            if (mine or own)[0] == "leading":
                report.add(("roles", name, "leading"), f"is less than {share} "
                           f"({role.size.pt:g} pt): the lines would overprint")  # fmt: skip
            else:
                report.add(("roles", name, "size"), f"is too large for the leading "
                           f"({role.leading.pt:g} pt, from roles.{setter['leading']}): the "
                           f"leading must be at least {share}, or the lines overprint")  # fmt: skip
    if page_fits:
        _check_insets(report, raw, sheet)


def _role_length_problem(key: str, pt: float) -> str | None:
    """What is wrong with one length of a role (``pt`` points), if anything."""
    if key == "size" and not SIZE_PT[0] <= pt <= SIZE_PT[1]:
        return f"is not a type size of {SIZE_PT[0]:g} to {SIZE_PT[1]:g} pt"
    if key == "leading" and pt <= 0:
        return "is not more than 0 pt"
    if key == "leading" and pt > MAX_LEADING_PT:
        return f"is more than {MAX_LEADING_PT:g} pt"
    if key in ("space-before", "space-after") and pt < 0:
        return "is negative: a space is 0 or more"
    if key in ("space-before", "space-after") and pt > MAX_SPACE_MM * MM + 1e-6:
        return f"is more than {MAX_SPACE_MM} mm, the least text area a page keeps"
    if key in _NOT_NEGATIVE and pt < 0:
        return "is negative: an indent, padding or border is 0 or more"
    return None


def _check_insets(report: _Report, raw: dict[str, dict[str, Any]], sheet: StyleSheet) -> None:
    """A role's indents, padding (both sides) and border take at most ``MAX_INSET_SHARE``
    of the narrowest column the page may have."""
    page = sheet.page
    narrow = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][0])
    text = PAPER_SIZES[narrow][0] - page.margin_left.pt - page.margin_right.pt
    if page.measure.pt > 0:
        text = min(text, page.measure.pt)
    column = (text - page.column_gap.pt * (page.columns - 1)) / page.columns
    for name, role in sheet.roles.items():
        shares = {"left-indent": role.left_indent.pt, "first-indent": max(role.first_indent.pt, 0),
                  "padding": 2 * role.padding.pt, "border-width": role.border_width.pt}  # fmt: skip
        if min(shares.values()) < 0:
            continue
        inset = sum(shares.values())
        if inset > MAX_INSET_SHARE * column + 1e-6:
            setters = [(("roles", setter, key), share) for key, share in shares.items()
                       if share and (setter := _setter(raw, name, key))]  # fmt: skip
            report.blame(setters, f"leaves too little of a column for the text of roles.{name}: "
                         f"its indents, padding and border take {inset / MM:.0f} mm of a "
                         f"{column / MM:.0f} mm column on {_paper_name(narrow, page)}, more than "
                         f"{MAX_INSET_SHARE:.0%} of it")  # fmt: skip


def _setter(raw: dict[str, dict[str, Any]], name: str, key: str) -> str | None:
    """The role, ``name`` or one it inherits from, that sets ``key`` (None: none does)."""
    seen: set[str] = set()
    while name in raw and name not in seen:
        if key in raw[name]:
            return name
        seen.add(name)
        name = raw[name].get("parent", "")
    return None
