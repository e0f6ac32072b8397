"""Settings of the stock baseline (bench/stock_asgi.py): the workspace's, with Channels' layer.

Without REDIS_URL the layer is Channels' own ``InMemoryChannelLayer`` as shipped; with it,
the very same channels_redis configuration as the workspace, so both sides run on one layer.
"""

from workspace.settings import *  # noqa: F403
from workspace.settings import REDIS_URL

if not REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
else:  # the workspace's configuration, on channels-redis' own class
    CHANNEL_LAYERS = {
        "default": {**CHANNEL_LAYERS["default"], "BACKEND": "channels_redis.core.RedisChannelLayer"}
    }
