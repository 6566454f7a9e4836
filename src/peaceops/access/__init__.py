"""Users, roles, mission scope, and the audit log."""
