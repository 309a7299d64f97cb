"""Connectors to outside platforms a company already uses."""
