"""Helpers shared by the tests and the benches (bench/ imports from here).

Stand-ins and processes (a feed server, a Celery worker, a private Redis, a fresh
interpreter), the dashboard scenario and the API schema run. Nothing here imports
a test module, and product code never imports tests.
"""
