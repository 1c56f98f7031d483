"""Every document is priced before graphql-core validates or runs it.

Validation is not free: graphql-core's ``OverlappingFieldsCanBeMergedRule`` compares fields
that share a response name pairwise, so ``{ site { name name name … } }`` (1,990 times,
under the token limit) took 1.5 s to be refused, and eight such requests stalled a worker.
Execution is not free either: the cost of ``newsArticles(limit: 100) { items { topics {
articles(limit: 100) … } } }`` grows with the data. So, in one linear pass over the parsed
document (fragments priced once each, however often they are spread), before anything else:

- **fields**: the number of fields the operation selects, fragment spreads expanded and
  duplicates counted (``MAX_FIELDS``, default 500);
- **repeats**: how often one response name is selected in one selection set, through inline
  fragments and spreads (``MAX_REPEATS``, default 20): the pairwise comparison's input;
- **estimated result size**: like GitHub's node limit, the number of values the answer can
  hold, each list counted at its size: its ``limit`` argument (the default when omitted, the
  largest allowed when a variable), or for lists without one the estimate in
  ``LIST_ESTIMATES`` (``MAX_RESULT_SIZE``, default 50,000; a 20-article listing with images,
  topics and translations is about 1,000, 50 articles with every grant detail about 16,000;
  a search counts as 5,000 more, see ``FIELD_WEIGHTS``).

Over a cap the answer is HTTP 400 naming the cap and by how much. graphql-core's parser
costs about 20 µs a token in Python, so a document at the token limit takes 40 ms to parse
before it can be priced: ``prescan_errors`` first reads the text with one regular
expression and refuses, without parsing, a document over the token limit or one whose
operations name more fields than the cap (a lower bound of the price: spreads not
expanded). The demo's documents and the README's examples stay well under every cap
(``tests/cms/test_api_pricing.py``).
"""

import re
from itertools import islice

from graphql import GraphQLError
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
)
from graphql.type import GraphQLList, GraphQLNonNull, get_named_type

from .arguments import api_setting

#: The size of lists that take no ``limit``, by ``Type.field`` (or ``field`` for any type).
LIST_ESTIMATES = {
    "Query.topics": 30,
    "translations": 2,
    "locales": 2,
    "languages": 2,
    "body": 30,
    "topics": 5,
    "grants": 10,
    "partners": 3,
    "menu": 10,
    "links": 10,
    "social": 10,
    "toReport": 10,
    "types": 10,
    "years": 20,
}
DEFAULT_LIST_ESTIMATE = 20
#: Fields whose work is not told by their answer's size: each counts as this many values.
#: A search ranks and counts every match (tens of milliseconds at 100,000 pages), so a
#: document holds at most about nine of them.
FIELD_WEIGHTS = {"Query.search": 5_000, "Query.suggest": 500}
#: Window types whose ``items`` list is as long as the ``limit`` of the field that made them.
PAGED_ITEMS = "items"


class Price:
    __slots__ = ("fields", "size")

    def __init__(self, fields=0, size=0):
        self.fields = fields
        self.size = size


def _is_list(graphql_type):
    while isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLList)


def _limit(node, field_def):
    """The list size a field's ``limit`` argument asks for (None: the field has none)."""
    if field_def is None or "limit" not in field_def.args:
        return None
    default = field_def.args["limit"].default_value
    default = default if isinstance(default, int) else 20
    for argument in node.arguments or ():
        if argument.name.value != "limit":
            continue
        if isinstance(argument.value, IntValueNode):
            try:
                return max(0, int(argument.value.value))
            except ValueError:
                return default
        if isinstance(argument.value, VariableNode):
            return api_setting("MAX_LIMIT")
        return default
    return default


class Pricer:
    """Prices one document against one schema (see the module docstring)."""

    def __init__(self, schema, document):
        self.schema = schema
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.memo = {}
        self.max_repeats = api_setting("MAX_REPEATS")
        self.repeat_error = None

    def price_operation(self, operation):
        root = {
            "query": self.schema.query_type,
            "mutation": self.schema.mutation_type,
            "subscription": self.schema.subscription_type,
        }.get(operation.operation.value)
        return self.selection(operation.selection_set, root, None, frozenset())

    def selection(self, selection_set, parent_type, page_size, seen):
        """Price of a selection set on ``parent_type``; ``page_size`` is the limit of the
        field that made this object (for its ``items``)."""
        price, names = self._selections(selection_set, parent_type, page_size, seen)
        worst = max(names.items(), key=lambda item: item[1], default=None)
        if worst is not None and worst[1] > self.max_repeats and self.repeat_error is None:
            self.repeat_error = worst
        return price

    def _selections(self, selection_set, parent_type, page_size, seen):
        """(price, {response name: times selected}) of a selection set with its inline
        fragments and spreads folded in; a fragment is priced once per place it can land
        (its name, the page size, the fragments around it), however often it is spread, so
        a chain of fragments that spread the next one many times costs linear time."""
        price, names = Price(), {}
        if selection_set is None:
            return price, names

        def add(other_price, other_names):
            price.fields += other_price.fields
            price.size += other_price.size
            for name, times in other_names.items():
                names[name] = names.get(name, 0) + times

        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = (selection.alias or selection.name).value
                add(self.field(selection, parent_type, page_size, seen), {name: 1})
            elif isinstance(selection, InlineFragmentNode):
                on = parent_type
                if selection.type_condition is not None:
                    on = self.schema.get_type(selection.type_condition.name.value)
                add(*self._selections(selection.selection_set, on, page_size, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic: refused by validation, priced as nothing
                key = ("fragment", name, page_size, seen)
                if key not in self.memo:
                    on = self.schema.get_type(fragment.type_condition.name.value)
                    self.memo[key] = self._selections(
                        fragment.selection_set, on, page_size, seen | {name}
                    )
                add(*self.memo[key])
        return price, names

    def field(self, node, parent_type, page_size, seen):
        fields = getattr(parent_type, "fields", None) or {}
        field_def = fields.get(node.name.value)
        weight = FIELD_WEIGHTS.get(f"{getattr(parent_type, 'name', '')}.{node.name.value}", 0)
        if node.selection_set is None:
            return Price(1, 1 + weight)
        key = (id(node), getattr(parent_type, "name", None), page_size, seen)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        limit = _limit(node, field_def)
        child_type = get_named_type(field_def.type) if field_def is not None else None
        inner = self.selection(node.selection_set, child_type, limit, seen)
        count = 1
        if field_def is not None and _is_list(field_def.type):
            count = self._list_size(node, parent_type, limit, page_size)
        price = Price(1 + inner.fields, 1 + weight + count * inner.size)
        self.memo[key] = price
        return price

    @staticmethod
    def _list_size(node, parent_type, limit, page_size):
        name = node.name.value
        if limit is not None:
            return limit
        if name == PAGED_ITEMS and page_size is not None:
            return page_size
        qualified = f"{getattr(parent_type, 'name', '')}.{name}"
        return LIST_ESTIMATES.get(qualified, LIST_ESTIMATES.get(name, DEFAULT_LIST_ESTIMATE))


def too_many_fields(fields, max_fields, node=None, at_least=False):
    return GraphQLError(
        f"The query selects {'at least ' if at_least else ''}{fields} fields; the limit is "
        f"{max_fields} ({fields - max_fields} too many; fragments count each time they "
        "are spread).",
        node,
        extensions={"code": "QUERY_TOO_LARGE", "limit": "MAX_FIELDS"},
    )


def price_errors(schema, document):
    """GraphQL errors for every operation of ``document`` over a cap (empty: within)."""
    max_fields = api_setting("MAX_FIELDS")
    max_size = api_setting("MAX_RESULT_SIZE")
    errors = []
    pricer = Pricer(schema, document)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        try:
            price = pricer.price_operation(definition)
        except RecursionError:  # thousands of nested fragments (token limit raised)
            return [
                GraphQLError(
                    "The query nests too deeply to be priced.",
                    definition,
                    extensions={"code": "QUERY_TOO_LARGE", "limit": "MAX_DEPTH"},
                )
            ]
        if price.fields > max_fields:
            errors.append(too_many_fields(price.fields, max_fields, definition))
        if price.size > max_size:
            errors.append(
                GraphQLError(
                    f"The answer could hold about {price.size} values; the limit is "
                    f"{max_size} ({price.size / max_size:.1f} times too many). Ask for "
                    "smaller pages (limit) or fewer nested lists.",
                    definition,
                    extensions={"code": "QUERY_TOO_LARGE", "limit": "MAX_RESULT_SIZE"},
                )
            )
    if pricer.repeat_error is not None:
        name, times = pricer.repeat_error
        errors.append(
            GraphQLError(
                f"The field {name!r} is selected {times} times in one selection set; the "
                f"limit is {pricer.max_repeats} ({times - pricer.max_repeats} too many).",
                extensions={"code": "QUERY_TOO_LARGE", "limit": "MAX_REPEATS"},
            )
        )
    return errors


#: One GraphQL token (as graphql-core's lexer cuts them; commas and white space are not
#: tokens, comments are counted like the parser's ``max_tokens`` counts them).
TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""'  # block string
    r'|"(?:\\.|[^"\\\n\r])*"'  # string
    r"|#[^\n\r]*"  # comment
    r"|[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|\.\.\."  # spread
    r"|-?[0-9][_0-9A-Za-z.+-]*"  # number
    r"|[^\s,\ufeff]"  # punctuator (or a character the parser will refuse)
)


def prescan_errors(text):
    """Errors for a document that is over the lexeme limit, or whose operations name more
    fields than ``MAX_FIELDS``, read from its text without parsing (empty: parse it)."""
    max_tokens = api_setting("MAX_TOKENS")
    max_fields = api_setting("MAX_FIELDS")
    # Read no further than one lexeme past the limit (a 100 KB body can hold 50,000).
    lexemes = [match.group() for match in islice(TOKEN.finditer(text), max_tokens + 1)]
    if len(lexemes) > max_tokens:
        return [
            GraphQLError(
                f"Syntax Error: Document contains more than {max_tokens} tokens. Parsing aborted.",
                extensions={"code": "QUERY_TOO_LARGE", "limit": "MAX_TOKENS"},
            )
        ]
    fields, braces, parens, in_fragment, spreads = 0, 0, 0, False, False
    before = previous = ""  # the two tokens before this one
    for lexeme in lexemes:
        first = lexeme[0]
        if first == "#":
            continue
        if first == "(":
            parens += 1
        elif first == ")":
            parens -= 1
        elif parens > 0:
            pass  # arguments, variable definitions, their values: no fields
        elif first == "{":
            braces += 1
        elif first == "}":
            braces -= 1
            if braces == 0:  # the end of an operation or a fragment definition
                if not in_fragment and fields > max_fields:
                    break
                fields, in_fragment, spreads = 0, False, False
        elif braces == 0:
            in_fragment = in_fragment or lexeme == "fragment"
        elif previous == "..." and lexeme != "on" and (first == "_" or first.isalpha()):
            spreads = True  # a named fragment: its fields are not counted here
        elif (first == "_" or first.isalpha()) and not (
            previous in ("...", "@", ":") or (previous == "on" and before == "...")
        ):
            fields += 1  # a field, or an alias (its field follows ':' and is not counted)
        before, previous = previous, lexeme
    if fields <= max_fields or in_fragment:
        return []
    return [too_many_fields(fields, max_fields, at_least=spreads)]
