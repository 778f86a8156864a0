"""Reads of privacy: retention."""
