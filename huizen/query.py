"""Query strings for the links of a filtered list (pages, feeds), so that they keep the filters."""


def query_without(request, *names: str) -> str:
    """The request's query string without `names` (such as the page number), encoded for a link."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
