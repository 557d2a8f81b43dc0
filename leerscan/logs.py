"""Keep scan tokens out of the logs.

A scan's token is a bearer credential: whoever has /scan/<token>/ has the answers. Django names
the path in many log lines ("Bad Request: /scan/<token>/stap/1/" after every validation error,
"Not Found: ...", the development server's request lines, CSRF refusals), and so do access logs.
`RedactTokens` rewrites every token in a record's message, arguments and traceback to "<token>";
settings.LOGGING puts it on the loggers that write paths (so that every handler sees the redacted
record) and on the console handler besides. leerscan/gunicorn_logger.py does the same for
gunicorn's access and error logs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping

# A token as it appears in a path (TOKEN_PATTERN in leerscan/scans/models.py: 32 URL-safe
# characters), not followed by more of them.
_TOKEN_IN_PATH = re.compile(r"(/scan/)[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")
REDACTED = r"\1<token>"


def redact(text: str) -> str:
    """The text with the token in every "/scan/<32 characters>" replaced by "<token>"."""
    if "/scan/" not in text:
        return text
    return _TOKEN_IN_PATH.sub(REDACTED, text)


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """A logging filter that lets every record through with its scan tokens redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_redacted(arg) for arg in args)
        elif isinstance(args, MutableMapping):
            # In place: gunicorn's access log passes a dict subclass that answers missing keys.
            for key, value in list(args.items()):
                if isinstance(value, str):
                    args[key] = redact(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
