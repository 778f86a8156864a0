"""Forms of privacy: retention."""
