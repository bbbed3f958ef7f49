"""Request and response bodies, split by direction."""
