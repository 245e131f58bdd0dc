"""``orbitaldc serve``: the web dashboard and its JSON API (docs/web.md).

An edge beside the CLI: :func:`orbitaldc.web.app.create_app` builds the FastAPI app whose
answers are library calls (``orbitaldc.api``, the closure with overrides for the sliders) and
whose background jobs run in worker processes with an SQLite store.
"""
