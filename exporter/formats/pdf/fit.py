"""Fitting an edition to a page budget: the style's text set a step smaller, never below a floor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from exporter.style import Length, RoleStyle, StyleSheet

STEP_PT = 0.25
T = TypeVar("T")


@dataclass(frozen=True)
class PageBudget:
    """At most ``max_pages`` pages, with the body set no smaller than ``min_body_pt``."""

    max_pages: int
    min_body_pt: float


def scaled_role(role: RoleStyle, factor: float) -> RoleStyle:
    """``role`` with its type size, leading and vertical spacing multiplied by ``factor``."""

    def scale(length: Length) -> Length:
        return Length(round(length.pt * factor, 3))

    return replace(
        role,
        size=scale(role.size),
        leading=scale(role.leading),
        space_before=scale(role.space_before),
        space_after=scale(role.space_after),
    )


def scaled_sheet(sheet: StyleSheet, factor: float) -> StyleSheet:
    roles = {name: scaled_role(role, factor) for name, role in sheet.roles.items()}
    return replace(sheet, roles=roles)


def candidate_sheets(sheet: StyleSheet, budget: PageBudget | None) -> Iterator[StyleSheet]:
    """The sheet as written, then with the body a quarter point smaller each time, down to
    the budget's floor (never below it, and never larger than the style asks)."""
    yield sheet
    if budget is None:
        return
    body = sheet.role("body").size.pt
    size = body - STEP_PT
    while size >= budget.min_body_pt - 1e-9:
        yield scaled_sheet(sheet, size / body)
        size -= STEP_PT


def fitted(
    build: Callable[[StyleSheet, int], tuple[T, int]],
    sheet: StyleSheet,
    budget: PageBudget | None,
) -> tuple[T, int]:
    """``build(candidate, limit) -> (edition, pages)`` for the largest candidate that fits.

    ``build`` may stop a trial once it needs more than ``limit`` pages (0: no limit) and
    report more pages than the limit. The sheet as written comes first; if it is over budget
    the smallest size is set in full next, and only if that fits are the sizes between
    tried, largest first. Text that does not fit even at the smallest size is set at the
    smallest size.
    """
    if budget is None:
        return build(sheet, 0)
    limit = budget.max_pages
    first = build(sheet, limit)
    if first[1] <= limit:
        return first
    smaller = list(candidate_sheets(sheet, budget))[1:]
    if not smaller:
        return build(sheet, 0)
    smallest = build(smaller[-1], 0)
    if smallest[1] > limit:
        return smallest
    for candidate in smaller[:-1]:
        result = build(candidate, limit)
        if result[1] <= limit:
            return result
    return smallest
