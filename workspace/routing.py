from recommendations.routing import websocket_urlpatterns as recommendation_patterns

websocket_urlpatterns = [*recommendation_patterns]
