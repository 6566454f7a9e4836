"""health: whether this instance can serve (for load balancers and supervisors)."""
