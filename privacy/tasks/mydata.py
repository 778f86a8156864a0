"""Background work of privacy: mydata."""
