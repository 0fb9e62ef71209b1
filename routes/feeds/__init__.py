"""Atom feeds of what changed: crossings' status and waits, and governments'
travel advice (docs/feeds.md). No models: the feeds read the history."""
