"""Authentication without I/O: TLS server contexts and certificate principals, SASL
mechanisms (PLAIN, SCRAM-SHA-256/512) and throwaway test certificates.

The server shell (``kafkalite.server``) wraps listeners in ``tls.server_context`` and feeds
SASL tokens to a ``sasl.SaslServer``; nothing here touches a socket.
"""
