"""Shared plumbing used by several apps; imports no app."""
