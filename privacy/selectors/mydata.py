"""Reads of privacy: mydata."""
