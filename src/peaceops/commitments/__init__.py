"""Implementation tracking: each provision of a peace agreement as a commitment, with its status history."""
