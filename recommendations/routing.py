from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/recommendations/<int:pk>/", consumers.RecommendationConsumer.as_asgi()),
    path("ws/overview/", consumers.OverviewConsumer.as_asgi()),
]
