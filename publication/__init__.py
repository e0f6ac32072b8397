"""Endorsements of exact approved versions, and the published editions of the conference text:
models, services, the canonical Markdown, the public pages and their API."""
