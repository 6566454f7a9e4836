"""Mediation support: the agreements memory and its search; peace processes with their coordination checks
and confidential debriefs (roster to come)."""
