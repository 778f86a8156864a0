"""The admin of privacy: retention."""
