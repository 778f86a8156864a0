"""Background work of privacy: retention."""
