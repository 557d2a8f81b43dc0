"""gunicorn's logger with the secrets of URLs redacted from its access and error logs.

Run gunicorn with `--logger-class leerscan.gunicorn_logger.RedactingLogger` (or
`logger_class = "leerscan.gunicorn_logger.RedactingLogger"` in a gunicorn config file). The
default access-log format then still works, with "/scan/<token>/", "/team/<token>/" and every
other URL of leerscan/logs.py's SECRET_URLS redacted in the request line and the referrer (a page
under a private link is the referrer of its own style sheet and script).
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from leerscan.logs import RedactTokens


class RedactingLogger(Logger):
    """gunicorn.glogging.Logger, with RedactTokens on its access and error loggers."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())
