"""Pages for people: server-rendered HTML over the same app, chosen when a browser asks for HTML.

A route names its page with `render.or_page`, which alone decides between HTML and data; a page
gets the route's own arguments and reads through api.service like the route. Templates and static
files live beside this package; no CDN, no script.
"""

from .catalogue import query_list, query_page
from .editor import sparql_page
from .matrix import matrix
from .problems import install
from .render import wants_html
from .views import entity, home, search, trace

__all__ = [
    "entity",
    "home",
    "install",
    "matrix",
    "query_list",
    "query_page",
    "search",
    "sparql_page",
    "trace",
    "wants_html",
]
