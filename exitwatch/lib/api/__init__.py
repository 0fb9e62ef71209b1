"""API plumbing shared by every app: renderers, pagination, schema helpers."""
