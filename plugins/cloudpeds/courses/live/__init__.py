"""Live sessions (courses/live/<id>.yml): schedule, session pages, calendars, replays through the lesson
pipeline."""
