"""The authority model compiled once into Python, its rows indexed by the matcher's equalities."""

from __future__ import annotations

import ast
import gc
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from casbin.model import Model

Row = tuple[str, ...]
Functions = Mapping[str, Callable[..., Any]]

_ALLOW_OVERRIDE = "some(where (p_eft == allow))"
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)


def _truth(value: object) -> bool:
    """pycasbin's reading of a matcher result: a bool, a non-zero float, or an error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0
    raise RuntimeError("matcher result should be bool, int or float")


def _python_expression(matcher: str) -> ast.expr:
    # The same text rewrite pycasbin applies (CoreEnforcer._get_expression), then Python's parser.
    text = matcher.replace("&&", "and").replace("||", "or")
    text = re.sub(r"!(?!=)", "not ", text)
    return ast.parse(text.strip(), mode="eval").body


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [term for value in node.values for term in _conjuncts(value)]
    return [node]


class _Rewriter(ast.NodeTransformer):
    """Checks that a term uses only what both engines read alike, and binds its names:
    request tokens to locals, policy tokens to `p[i]`, functions to `_fn_<name>` globals."""

    def __init__(self, r_tokens: Sequence[str], p_tokens: Sequence[str], functions: Functions):
        self.r_tokens = set(r_tokens)
        self.p_index = {token: i for i, token in enumerate(p_tokens)}
        self.functions = functions

    def generic_visit(self, node: ast.AST) -> ast.AST:
        allowed = (
            ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare, ast.Call,
            ast.Name, ast.Constant, ast.Tuple, ast.List, ast.Load, *_COMPARE_OPS,
        )  # fmt: skip
        if not isinstance(node, allowed):
            raise ValueError(
                f"matcher construct not supported by the compiled form: {ast.dump(node)}"
            )
        return super().generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ValueError("compiled matchers call named functions with positional arguments")
        if node.func.id not in self.functions:
            raise ValueError(f"matcher calls {node.func.id}(), which was not given")
        args = [self.visit(arg) for arg in node.args]
        func = ast.Name(id=f"_fn_{node.func.id}", ctx=ast.Load())
        return ast.Call(func=func, args=args, keywords=[])

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.r_tokens:
            return node
        if node.id in self.p_index:
            index = ast.Constant(value=self.p_index[node.id])
            return ast.Subscript(
                value=ast.Name(id="p", ctx=ast.Load()), slice=index, ctx=ast.Load()
            )
        raise ValueError(f"matcher names {node.id}, which is neither a request nor a policy token")


@dataclass(frozen=True, slots=True)
class CompiledMatcher:
    """A model's matcher split into index keys and the Python source of the other terms."""

    request_tokens: tuple[str, ...]
    policy_tokens: tuple[str, ...]
    request_key: tuple[int, ...]
    policy_key: tuple[int, ...]
    source: str

    @classmethod
    def from_model(cls, model: Model, functions: Functions) -> CompiledMatcher:
        if model["g"] is not None:
            raise ValueError("the compiled form supports models without role definitions")
        if model["e"]["e"].value != _ALLOW_OVERRIDE:
            raise ValueError(f"the compiled form supports only the effect {_ALLOW_OVERRIDE}")
        r_tokens = tuple(model["r"]["r"].tokens)
        p_tokens = tuple(model["p"]["p"].tokens)
        if "p_eft" in p_tokens or "p_priority" in p_tokens:
            raise ValueError("the compiled form supports neither p.eft nor p.priority")
        matcher = model["m"]["m"].value
        if "eval(" in matcher:
            raise ValueError("the compiled form does not support eval() in matchers")
        terms = _conjuncts(_python_expression(matcher))
        request_key: list[int] = []
        policy_key: list[int] = []
        rest: list[ast.expr] = []
        for term in terms:
            pair = _equality(term, r_tokens, p_tokens)
            if pair is None:
                rest.append(term)
            else:
                request_key.append(pair[0])
                policy_key.append(pair[1])
        rewriter = _Rewriter(r_tokens, p_tokens, functions)
        residual = _source_of(rest, rewriter)
        whole = _source_of(terms, rewriter)
        source = _MODULE.format(
            unpack=", ".join(r_tokens) + ("," if len(r_tokens) == 1 else ""),
            residual=residual,
            whole=whole,
        )
        return cls(r_tokens, p_tokens, tuple(request_key), tuple(policy_key), source)


def _equality(
    term: ast.expr, r_tokens: Sequence[str], p_tokens: Sequence[str]
) -> tuple[int, int] | None:
    """(request index, policy index) when `term` is `r.X == p.Y` (either way round)."""
    if not (
        isinstance(term, ast.Compare) and len(term.ops) == 1 and isinstance(term.ops[0], ast.Eq)
    ):
        return None
    left, right = term.left, term.comparators[0]
    if not (isinstance(left, ast.Name) and isinstance(right, ast.Name)):
        return None
    if left.id in r_tokens and right.id in p_tokens:
        return r_tokens.index(left.id), p_tokens.index(right.id)
    if right.id in r_tokens and left.id in p_tokens:
        return r_tokens.index(right.id), p_tokens.index(left.id)
    return None


def _source_of(terms: Sequence[ast.expr], rewriter: _Rewriter) -> str:
    if not terms:
        return "True"
    bound = [rewriter.visit(ast.parse(ast.unparse(term), mode="eval").body) for term in terms]
    node = bound[0] if len(bound) == 1 else ast.BoolOp(op=ast.And(), values=bound)
    return ast.unparse(ast.fix_missing_locations(node))


_MODULE = """
def first_match(r, rows):
    {unpack} = r
    for p in rows:
        v = {residual}
        if v is True or (v is not False and _truth(v)):
            return p
    return None


def all_matches(r, rows):
    {unpack} = r
    found = []
    for p in rows:
        v = {residual}
        if v is True or (v is not False and _truth(v)):
            found.append(p)
    return found


def whole_matcher(r, p):
    {unpack} = r
    return bool({whole})
"""


def _key_getter(positions: tuple[int, ...]) -> Callable[[Sequence[str]], object]:
    if not positions:
        return lambda values: ()
    return itemgetter(*positions)


class CompiledAuthorityEnforcer:
    """Answers like pycasbin's `Enforcer.enforce_ex` on the same model and rows, in microseconds:
    rows are bucketed by the matcher's equality terms (`r.X == p.Y`), kept in policy order, and
    the other terms run as Python compiled once from the model's matcher."""

    __slots__ = (
        "_all_matches",
        "_buckets",
        "_first_match",
        "_request_key",
        "_row_count",
        "_row_key",
        "_whole_matcher",
        "matcher",
    )

    def __init__(self, matcher: CompiledMatcher, functions: Functions) -> None:
        self.matcher = matcher
        self._buckets: dict[object, list[Row]] = {}
        self._row_count = 0
        self._request_key = _key_getter(matcher.request_key)
        self._row_key = _key_getter(matcher.policy_key)
        self.rebind_functions(functions)

    @classmethod
    def from_model(cls, model_path: str | Path, functions: Functions) -> CompiledAuthorityEnforcer:
        """Compile `model_path` (a Casbin .conf) with the matcher's custom functions."""
        model = Model()
        model.load_model(str(model_path))
        return cls(CompiledMatcher.from_model(model, functions), functions)

    def rebind_functions(self, functions: Functions) -> None:
        """Bind (new) matcher functions, e.g. after the unit tree changed; rows stay."""
        namespace: dict[str, Any] = {"_truth": _truth}
        namespace.update({f"_fn_{name}": fn for name, fn in functions.items()})
        exec(compile(self.matcher.source, "<compiled matcher>", "exec"), namespace)  # noqa: S102
        self._first_match = namespace["first_match"]
        self._all_matches = namespace["all_matches"]
        self._whole_matcher = namespace["whole_matcher"]

    @property
    def row_count(self) -> int:
        """How many rows are loaded (duplicates included, as pycasbin counts them)."""
        return self._row_count

    def _row(self, values: Sequence[str]) -> Row:
        if len(values) != len(self.matcher.policy_tokens):
            raise ValueError(f"invalid policy size: {values!r}")
        return tuple(map(sys.intern, values))

    def load_rows(self, rows: Iterable[Sequence[str]]) -> None:
        """Replace every row, keeping the given order (duplicates kept, as a file load does)."""
        buckets: dict[object, list[Row]] = {}
        find, row_key, intern = buckets.get, self._row_key, sys.intern
        width, count = len(self.matcher.policy_tokens), 0
        collecting = gc.isenabled()
        gc.disable()  # a million new tuples would trigger full collections again and again
        try:
            for values in rows:
                if len(values) != width:
                    raise ValueError(f"invalid policy size: {values!r}")
                row = tuple(map(intern, values))
                key = row_key(row)
                bucket = find(key)
                if bucket is None:
                    buckets[key] = [row]
                else:
                    bucket.append(row)
                count += 1
        finally:
            if collecting:
                gc.enable()
        self._buckets = buckets
        self._row_count = count

    def _has(self, row: Row) -> bool:
        bucket = self._buckets.get(self._row_key(row))
        return bucket is not None and row in bucket

    def add_rows(self, rows: Iterable[Sequence[str]]) -> bool:
        """Append rows like `Enforcer.add_policies`: nothing is added if any row exists already."""
        batch = [self._row(values) for values in rows]
        if any(self._has(row) for row in batch):
            return False
        for row in batch:
            if not self._has(row):
                self._buckets.setdefault(self._row_key(row), []).append(row)
                self._row_count += 1
        return True

    def remove_rows(self, rows: Iterable[Sequence[str]]) -> bool:
        """Remove rows like `Enforcer.remove_policies`: one by one, stopping (False) at the
        first row that is absent or was present twice; rows removed before that stay removed."""
        for values in rows:
            row = self._row(values)
            key = self._row_key(row)
            bucket = self._buckets.get(key)
            if bucket is None or row not in bucket:
                return False
            bucket.remove(row)
            self._row_count -= 1
            if not bucket:
                del self._buckets[key]
            elif row in bucket:
                return False
        return True

    def _candidates(self, request: tuple[str, ...]) -> list[Row]:
        if len(request) != len(self.matcher.request_tokens):
            raise RuntimeError("invalid request size")
        return self._buckets.get(self._request_key(request), [])

    def enforce_ex(self, *request: str) -> tuple[bool, list[str]]:
        """(allowed, the first matching row in policy order or [])."""
        candidates = self._candidates(request)
        if not candidates:
            if self._row_count == 0:
                # pycasbin evaluates a policy-less model once with every policy token "".
                empty = ("",) * len(self.matcher.policy_tokens)
                return self._whole_matcher(request, empty), []
            return False, []
        row = self._first_match(request, candidates)
        return (False, []) if row is None else (True, list(row))

    def enforce(self, *request: str) -> bool:
        """Whether some row allows the request."""
        return self.enforce_ex(*request)[0]

    def matching_rows(self, *request: str) -> list[Row]:
        """Every row that allows the request, in policy order (explanations, overlap reports)."""
        return list(self._all_matches(request, self._candidates(request)))
