from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/rooms/<slug:name>/", consumers.RoomConsumer.as_asgi()),
]
