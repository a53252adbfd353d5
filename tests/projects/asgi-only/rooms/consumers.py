import json

from channels.generic.websocket import AsyncWebsocketConsumer


class RoomConsumer(AsyncWebsocketConsumer):
    """Relays every message sent to a room to everyone in it."""

    async def connect(self) -> None:
        self.group = f"room_{self.scope['url_route']['kwargs']['name']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message = json.loads(text_data or "{}").get("message", "")
        await self.channel_layer.group_send(self.group, {"type": "room.message", "message": message})

    async def room_message(self, event: dict) -> None:
        await self.send(text_data=json.dumps({"message": event["message"]}))
