"""Reads of the programme, the door and signals. Each returns a QuerySet or plain data built from one."""
