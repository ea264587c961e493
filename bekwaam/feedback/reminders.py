"""Reminders of feedback rounds (registered with notifications.reminders); filled in by the feedback work."""
