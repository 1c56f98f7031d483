"""A leaner way through graphql-core's executor for the fields most responses are made of.

A listing of 20 articles is about 570 fields, and most of them are scalars read straight
off an object (``title``, ``date``, ``width``). graphql-core treats each one like any other
field: a response path, a resolve-info record, argument coercion, then a chain of type
checks before it serializes the value; that is about half of the Python time of an
uncached listing. ``LeanExecutionContext`` plans each field of an object type once per
process and takes a short way for scalar and enum fields without arguments:

- read by graphene's default resolver (an attribute or a dict key): the value is read
  and serialized directly, with no path or resolve info;
- with a resolver of their own: the resolver gets its usual resolve info, and the value is
  serialized without the generic completion.

Everything else (objects, lists, abstract types, arguments, ``__typename``), and every
case that would produce an error (an exception, null for a non-null field, a value the
scalar cannot serialize) goes through graphql-core's own code, so results and errors are
the same as without this class (``tests/cms/test_execution.py`` runs documents through
both and compares); in those cases a field's own resolver runs a second time. Fields are
executed one after the other and no resolver of ours is async (the view tells graphql-core
so), so ``execute_fields`` does not gather awaitables.
"""

from functools import partial

from graphene.types.resolver import dict_or_attr_resolver
from graphql import ExecutionContext, GraphQLResolveInfo, Undefined
from graphql.pyutils import Path
from graphql.type import GraphQLNonNull, is_leaf_type

_PLANS = {}  # GraphQLObjectType -> {field name: plan or None}


class _Plan:
    """How a scalar field takes the short way: ``attname`` set, read by graphene's default
    resolver (an attribute or a dict key); else ``resolve``, its own resolver."""

    __slots__ = ("field", "attname", "default", "resolve", "serialize", "non_null")

    def __init__(self, field, serialize, non_null, attname=None, default=None, resolve=None):
        self.field = field
        self.serialize = serialize
        self.non_null = non_null
        self.attname = attname
        self.default = default
        self.resolve = resolve


def _plan(field):
    if field.args:
        return None
    return_type = field.type
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if non_null else return_type
    if not is_leaf_type(named) or field.resolve is None:
        return None
    resolve = field.resolve
    if isinstance(resolve, partial) and resolve.func is dict_or_attr_resolver:
        if resolve.keywords:
            return None
        attname, default = resolve.args
        return _Plan(field, named.serialize, non_null, attname=attname, default=default)
    return _Plan(field, named.serialize, non_null, resolve=resolve)


def plans(object_type):
    found = _PLANS.get(object_type)
    if found is None:
        found = {name: _plan(field) for name, field in object_type.fields.items()}
        _PLANS[object_type] = found
    return found


class LeanExecutionContext(ExecutionContext):
    """graphql-core's execution with a short way for plain scalar fields (see the module)."""

    def execute_fields(self, parent_type, source_value, path, fields):
        results = {}
        field_plans = plans(parent_type)
        is_dict = isinstance(source_value, dict)
        for response_name, field_nodes in fields.items():
            plan = field_plans.get(field_nodes[0].name.value)
            if plan is not None:
                value = self._short(
                    plan, parent_type, source_value, is_dict, field_nodes, path, response_name
                )
                if value is not Undefined:
                    results[response_name] = value
                    continue
            field_path = Path(path, response_name, parent_type.name)
            result = self.execute_field(parent_type, source_value, field_nodes, field_path)
            if result is not Undefined:
                results[response_name] = result
        return results

    def _short(self, plan, parent_type, source, is_dict, field_nodes, path, response_name):
        """The serialized value, or Undefined to let graphql-core do it (and its errors)."""
        try:
            if plan.attname is not None:
                if is_dict:
                    value = source.get(plan.attname, plan.default)
                else:
                    value = getattr(source, plan.attname, plan.default)
            else:
                info = GraphQLResolveInfo(
                    field_nodes[0].name.value,
                    field_nodes,
                    plan.field.type,
                    parent_type,
                    Path(path, response_name, parent_type.name),
                    self.schema,
                    self.fragments,
                    self.root_value,
                    self.operation,
                    self.variable_values,
                    self.context_value,
                    self.is_awaitable,
                )
                value = plan.resolve(source, info)
            if value is None or value is Undefined:
                return Undefined if plan.non_null else None
            if isinstance(value, Exception):
                return Undefined
            serialized = plan.serialize(value)
        except Exception:
            return Undefined
        if serialized is None or serialized is Undefined:
            return Undefined
        return serialized
