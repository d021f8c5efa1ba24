"""The asyncio shell: sockets, framing I/O, sendfile, signals. The only place with sockets."""
