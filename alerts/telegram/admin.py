"""Telegram in the admin: posts and chats to look at, never to edit (posts
are written by alerts.telegram.services, chats by the bot's commands)."""

from django.contrib import admin

from alerts.telegram.models import BotChat, ChannelPost


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(ChannelPost)
class ChannelPostAdmin(ReadOnlyAdmin):
    list_display = ("kind", "chat_id", "state", "created_at", "sent_at", "attempts")
    list_filter = ("kind", "state")
    search_fields = ("chat_id",)


@admin.register(BotChat)
class BotChatAdmin(ReadOnlyAdmin):
    # Only counts and languages: what a chat follows is the person's business.
    list_display = ("chat_id", "language", "created_at")
    list_filter = ("language",)
