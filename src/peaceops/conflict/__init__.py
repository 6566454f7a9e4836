"""Conflict monitoring and early warning: events, monthly panels, forecasts, evaluation, alerts."""
