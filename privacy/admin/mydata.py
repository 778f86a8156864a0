"""The admin of privacy: mydata."""
