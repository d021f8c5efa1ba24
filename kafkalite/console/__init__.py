"""The web console: server-rendered HTML pages under ``/console/`` of the HTTP server.

- ``data``: bounded reads and the actions (produce, reset offsets) over ``Cluster``;
- ``html``: escaping, tables, the layout, and showing record bytes (text, JSON, hex, or
  decoded with the schema registry);
- ``views``: the aiohttp views and their ``ROUTES``;
- ``static/``: the one CSS and JS file, shipped in the wheel (no CDN: works offline).

Importing this package imports no aiohttp; ``kafkalite.http.routes`` imports ``views``.
"""
