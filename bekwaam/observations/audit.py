"""Lesson visits are personal records of the teacher: they stay out of the beheerder's change log.

Their own history is ObservationEvent (who planned, started, put forward, reopened, acknowledged, when),
shown on the visit to the people who may see it, as ConversationEvent does for conversations.
"""
