"""Protection against abusive documents: depth, aliases and size limits.

Each limit is a setting in ``CMS_API`` and reports a clear GraphQL error (HTTP 400).
Depth is measured through fragments; cycles and unknown fragments are left to the
standard rules (``NoFragmentCyclesRule``, ``KnownFragmentNamesRule``) and never recursed.
"""

from graphql import GraphQLError, ValidationRule
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)

from .arguments import api_setting


def _depth(node, fragments, seen, memo=None):
    memo = {} if memo is None else memo
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + _depth(selection, fragments, seen, memo))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection, fragments, seen, memo))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue  # reported by the standard rules
            if name not in memo:
                memo[name] = _depth(fragment, fragments, seen | {name}, memo)
            deepest = max(deepest, memo[name])
    return deepest


def _aliases(node, fragments, seen, memo=None):
    memo = {} if memo is None else memo
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return 0
    count = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            count += (1 if selection.alias else 0) + _aliases(selection, fragments, seen, memo)
        elif isinstance(selection, InlineFragmentNode):
            count += _aliases(selection, fragments, seen, memo)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                if name not in memo:
                    memo[name] = _aliases(fragment, fragments, seen | {name}, memo)
                count += memo[name]
    return count


class QueryLimitsRule(ValidationRule):
    """Rejects operations deeper than MAX_DEPTH or with more than MAX_ALIASES aliases."""

    def enter_document(self, node, *args):
        fragments = {
            definition.name.value: definition
            for definition in node.definitions
            if definition.kind == "fragment_definition"
        }
        max_depth = api_setting("MAX_DEPTH")
        max_aliases = api_setting("MAX_ALIASES")
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            depth = _depth(definition, fragments, frozenset())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"The query is {depth} levels deep; the limit is {max_depth}.",
                        definition,
                    )
                )
            aliases = _aliases(definition, fragments, frozenset())
            if aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"The query uses {aliases} aliases; the limit is {max_aliases}.",
                        definition,
                    )
                )
        return self.SKIP
