"""Formula indicators: a tiny arithmetic language over other indicators' codes, parsed safely.

Expressions are parsed with Python's ``ast`` and only numbers, indicator codes, ``+ - * /``, unary minus
and parentheses are accepted; anything else (calls, attributes, names in lower case, ``**``, comparisons)
is refused with a message. Nothing is ever passed to ``eval``. A formula indicator is
``numerator / denominator * factor`` (as in DHIS2), or just ``numerator * factor`` without a denominator.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

from peaceops.errors import ValidationFailed

CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
MAX_LENGTH = 500
MAX_DEPTH = 40
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValidationFailed):
    """A formula cannot be parsed, names unknown codes, forms a cycle, or divides by zero."""


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.expr
    codes: frozenset[str]


def check_code(code: str) -> str:
    """Indicator codes are identifiers (upper case, digits, underscores) so formulas can name them."""
    if not CODE.match(code or ""):
        raise ValidationFailed(
            f"Indicator code {code!r} is not valid: use 2-40 upper-case letters, digits and underscores, "
            "starting with a letter (for example POC_ALERTS)."
        )
    return code


def parse_expression(text: str) -> Expression:
    """Parse and check an expression; raise FormulaError naming the first thing that is not allowed."""
    source = (text or "").strip()
    if not source:
        raise FormulaError("The formula is empty; write an expression such as (POC_ALERTS_ANSWERED / POC_ALERTS).")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"The formula is longer than {MAX_LENGTH} characters.")
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(
            f"The formula {source!r} cannot be read (at character {exc.offset or 0}): only numbers, indicator "
            "codes, + - * / and parentheses are allowed."
        ) from None
    codes: set[str] = set()
    _check(tree, source, codes, 0)
    return Expression(source, tree, frozenset(codes))


def _check(node: ast.AST, source: str, codes: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(f"The formula {source!r} is nested too deeply.")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, source, codes, depth + 1)
        _check(node.right, source, codes, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, source, codes, depth + 1)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if not CODE.match(node.id):
            raise FormulaError(f"{node.id!r} in {source!r} is not an indicator code (codes are upper case).")
        codes.add(node.id)
    else:
        what = ast.get_source_segment(source, node) or type(node).__name__
        raise FormulaError(
            f"{what!r} is not allowed in a formula ({source!r}); only numbers, indicator codes, + - * / and "
            "parentheses are."
        )


def evaluate(expression: Expression, values: Mapping[str, float | None]) -> float:
    """The expression's value; FormulaError when an input is missing or a division is by zero."""
    missing = sorted(code for code in expression.codes if values.get(code) is None)
    if missing:
        raise FormulaError(f"{expression.text!r} needs a value for {', '.join(missing)}.")
    return _eval(expression.tree, expression.text, values)


def _eval(node: ast.expr, source: str, values: Mapping[str, float | None]) -> float:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(values[node.id] or 0.0)  # evaluate() checked that every code has a value
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, source, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    left, right = _eval(node.left, source, values), _eval(node.right, source, values)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if right == 0:
        divisor = ast.get_source_segment(source, node.right) or "the divisor"
        raise FormulaError(f"Division by zero in {source!r}: {divisor} is 0.")
    return left / right


@dataclass(frozen=True)
class Formula:
    """A formula indicator's definition: numerator, optional denominator, and a factor (100 for a share)."""

    numerator: Expression
    denominator: Expression | None
    factor: float = 1.0

    @property
    def codes(self) -> frozenset[str]:
        return self.numerator.codes | (self.denominator.codes if self.denominator else frozenset())

    def compute(self, values: Mapping[str, float | None]) -> tuple[float, float, float | None]:
        """(value, numerator, denominator) for one period; FormulaError on missing input or a zero denominator."""
        top = evaluate(self.numerator, values)
        if self.denominator is None:
            return top * self.factor, top, None
        bottom = evaluate(self.denominator, values)
        if bottom == 0:
            raise FormulaError(f"Division by zero: the denominator {self.denominator.text!r} is 0.")
        return top / bottom * self.factor, top, bottom


def parse_formula(numerator: str, denominator: str | None = None, factor: float = 1.0) -> Formula:
    return Formula(
        parse_expression(numerator),
        parse_expression(denominator) if denominator and denominator.strip() else None,
        float(factor),
    )


def formula_order(formulas: Mapping[str, Formula], known: set[str]) -> list[str]:
    """Formula codes in an order where every input comes first; unknown codes and cycles are errors.

    ``known`` holds every indicator code of the framework (entered, derived and formula ones).
    """
    for code, formula in formulas.items():
        unknown = sorted(formula.codes - known)
        if unknown:
            raise FormulaError(
                f"The formula of {code} names {', '.join(unknown)}, which "
                f"{'is not an indicator' if len(unknown) == 1 else 'are not indicators'} of this framework."
            )
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(code: str, path: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            cycle = path[path.index(code) :] + [code]
            raise FormulaError(f"Formulas refer to each other in a cycle: {' -> '.join(cycle)}.")
        state[code] = 1
        for dependency in sorted(formulas[code].codes):
            if dependency in formulas:
                visit(dependency, [*path, code])
        state[code] = 2
        order.append(code)

    for code in sorted(formulas):
        visit(code, [])
    return order


def dependents(formulas: Mapping[str, Formula], changed: set[str]) -> list[str]:
    """Formula codes that depend, directly or through other formulas, on any code in ``changed``, in order."""
    order = formula_order(formulas, set(formulas) | changed | {c for f in formulas.values() for c in f.codes})
    affected = set(changed)
    out = []
    for code in order:
        if formulas[code].codes & affected:
            affected.add(code)
            out.append(code)
    return out
