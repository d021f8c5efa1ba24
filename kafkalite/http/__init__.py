"""kafkalite's one HTTP server (opt-in, 127.0.0.1 only, on the broker's event loop).

- ``routes``: the one URL map; every path the server answers is listed there, so paths
  added later (console, ``/metrics``, Schema Registry) sit beside the control API's and a
  collision shows in one file;
- ``control_views``: the control API's handlers, JSON in and out, over
  ``kafkalite.runtime.control.Control``;
- ``metrics``: ``GET /metrics``, the Prometheus text format (``prometheus_client``,
  imported on the first scrape), from the counts of ``kafkalite.stats``;
- ``params``: reading and checking JSON bodies and query strings;
- ``server``: ``HttpServer``, aiohttp's ``AppRunner`` on the runtime's loop, with the
  middleware that turns bad input into 400 and unknown ids into 404, as JSON.

Importing this package imports no aiohttp: ``Runtime`` imports ``kafkalite.http.server``
only when an HTTP port is configured, so brokers without it start as fast as before.
"""
