"""Logs without secrets: the token of a resident's private calendar address never reaches a log line.

The address `/mijn/boekingen/<token>.ics` is a key: whoever has it reads that resident's bookings. Access logs
(gunicorn's, the development server's) and Django's request log ("Not Found: /mijn/boekingen/...") would keep it
for anyone who reads the logs. `redact` replaces the token; `RedactFeedTokens` applies it to Django's log records
and `RedactingGunicornLogger` to gunicorn's access log (see Dockerfile and docker-compose.yml).
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[token]"
# The private feed's address (bookings/views/residents.py, `my_feed`), raw or percent-encoded; anything between
# the prefix and ".ics" counts as the token, also junk, so a mistyped or broken token is not logged either.
_FEED_TOKEN = re.compile(r"(/mijn/boekingen/)[^/?#\s\"']+?(\.ics)", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with the token of any private feed address in it replaced by [token]."""
    if "/mijn/boekingen/" not in text.lower():
        return text
    return _FEED_TOKEN.sub(rf"\g<1>{REDACTED}\g<2>", text)


class RedactFeedTokens(logging.Filter):
    """A logging filter (on django.request and django.server) that redacts feed tokens in the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger, with feed tokens redacted from every part of an access log line (request line, path,
    query, referer, headers): `--logger-class huizen.log.RedactingGunicornLogger`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
