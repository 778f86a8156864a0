"""Forms of privacy: mydata."""
