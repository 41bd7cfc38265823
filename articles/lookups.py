"""`field__any_of=values`: a lookup for long lists of plain values (thousands of hashes, an import's batch).

Django's `__in` prepares each value and sends it as a parameter of its own: for the 16,000 band hashes
of an import batch that costs more CPU than the query itself. `any_of` sends the list as one array on
PostgreSQL (`field = ANY(%s::type[])`) and falls back to `IN (...)` elsewhere. The values must already
be what the column holds (ints, strings): they are not prepared one by one.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


@ForeignObject.register_lookup
@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
