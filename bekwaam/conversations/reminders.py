"""Reminders of the gesprekscyclus (registered with notifications.reminders); filled in by the conversation work."""
