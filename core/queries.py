"""Small queryset helpers every app's selectors share."""


def filter_given(queryset, **lookups):
    """`queryset` filtered on the lookups a list page was given: a lookup whose value is None or "" (a filter the
    user left empty) is left out, so one call replaces a chain of `if value is not None: qs = qs.filter(...)`."""
    given = {lookup: value for lookup, value in lookups.items() if value is not None and value != ""}
    return queryset.filter(**given) if given else queryset
