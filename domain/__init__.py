"""The write side of volunteer points: aggregates, their events, the application."""
