"""The real-time transport: group names, broadcasting after commit, the channel layer, the
handshake checks, presence, the consumers and the routing of ``/ws/...``.

Domain apps do not write socket code. They register *topics* (``live.registry.topics``): the
path, who may subscribe and what they may receive; and *redactors* that remove from replayed
events what a reader may no longer see. See ``docs/realtime.md`` and ``docs/architecture.md``.
"""
