"""Public REST endpoints about advisories' sources (health of every feed)."""
