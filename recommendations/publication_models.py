"""Endorsements and published editions (issue 5). Imported by recommendations.models."""
