"""Missions, uniformed personnel by country and gender, gender-parity targets, peacekeeper fatalities."""
