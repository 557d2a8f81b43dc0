"""Keep the secrets in URLs out of the logs: one list of patterns for every log that names a URL.

Some links are keys: whoever has /scan/<token>/ has a scan's answers, /team/<token>/ answers for a
team, /coaching/uitnodiging/<token>/ starts a client's scan for a coach, /adviseur/wachtwoord/
<uid>/<token>/ sets an adviser's password, and /doe-mee/<code>/ joins a leertafel. Logs outlive
all of them and are read by other people, so every log line that names a URL names the page, not
the key. `SECRET_URLS` below is the one list; it is used by

- `RedactTokens`, the logging filter settings.LOGGING puts on Django's loggers that write paths
  ("Not Found: ...", "Bad Request: ...", CSRF refusals, the development server's request lines)
  and on the console handler;
- leerscan/gunicorn_logger.py, gunicorn's access log (request line, referrer) and error log;
- deploy/nginx-leerscan.conf, whose `map` blocks are generated from it (`python -m leerscan.logs`
  prints them; tests/leerscan/test_logs.py fails when the file's copy differs).

tests/leerscan/test_logs.py also fails when a URL in the resolver takes a parameter that is
neither redacted here nor named in `PUBLIC_URL_PARAMETERS`: a new secret URL cannot be forgotten.
This module imports nothing from Django, as the logging configuration loads it before the apps.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass

# A slash, also percent-encoded (as in "?next=%2Fteam%2F..."; Django decodes it in a path, too).
SLASH = r"(?:/|%2[Ff])"
# One path segment of a secret, as it appears in a request line, a referrer or a message: it ends
# at the next slash (also encoded), query, fragment, space, quote or angle bracket (so "<token>"
# itself is never taken for a secret). For Python's re and nginx's PCRE alike: no quote characters.
SEGMENT = r"(?:(?!%2[Ff])[^/?#\s\x22\x27<>])+"


@dataclass(frozen=True)
class SecretUrl:
    """URLs that carry a secret: `prefix`, then the secret (one or more whole path segments)."""

    prefix: str  # the literal path before the secret, e.g. "/team/"
    placeholder: str  # what a log writes instead of the secret
    what: str  # whose key it is, for the nginx file's comments and the docs
    segments: int = 1  # how many path segments after the prefix are secret

    @property
    def prefix_regex(self) -> str:
        """The regex (without groups) of the prefix, its slashes also percent-encoded."""
        return SLASH.join(re.escape(part) for part in self.prefix.split("/"))

    @property
    def secret_regex(self) -> str:
        """The regex (without groups) of the secret."""
        return SLASH.join([SEGMENT] * self.segments)


# Every URL that carries a secret (docs/security.md, "Secrets in logs"). The prefix is found
# anywhere in a text: in a request line, a full referrer URL, a "next=" or a traceback alike.
SECRET_URLS: tuple[SecretUrl, ...] = (
    SecretUrl("/scan/", "<token>", "a scan's private link"),
    SecretUrl("/team/", "<token>", "a team scan's invitation link"),
    SecretUrl("/coaching/uitnodiging/", "<token>", "a coach's invitation to a client"),
    # Django's password reset (also a colleague's invitation): the user's id and a token; after
    # the first visit Django redirects to /adviseur/wachtwoord/<uid>/set-password/.
    SecretUrl("/adviseur/wachtwoord/", "<uid>/<token>", "an adviser's password reset", segments=2),
    # A leertafel's join code is shown to a room on a projector, but it lets anyone join the
    # session while it is open and its page names the adviser and the organisation; a log
    # outlives the session and reaches people who were never in the room.
    SecretUrl("/doe-mee/", "<code>", "a leertafel's join code"),
)

# URL parameters in the resolver that are no secret, by name, with why. Parameters of int
# converters (database ids, step and round numbers) and the admin's (staff only, database ids)
# need no entry. tests/leerscan/test_logs.py refuses any other parameter missing from both lists.
PUBLIC_URL_PARAMETERS: dict[str, str] = {
    "export_id": (
        "a background export's id: its status and file are shown only to a logged-in adviser of "
        "the organisation that made it, so the id alone opens nothing; the worker's log names it"
    ),
    "kind": "which file of a research export (a fixed word)",
}

_PATTERNS = tuple(
    (re.compile(f"({url.prefix_regex}){url.secret_regex}"), rf"\g<1>{url.placeholder}")
    for url in SECRET_URLS
)
# Words every secret URL's prefix holds, to pass most texts by without a regex.
_WORDS = tuple(url.prefix.strip("/").split("/")[-1] for url in SECRET_URLS)


def redact(text: str) -> str:
    """The text with the secret of every URL in SECRET_URLS replaced by its placeholder."""
    for (pattern, replacement), word in zip(_PATTERNS, _WORDS, strict=True):
        if word in text:
            text = pattern.sub(replacement, text)
    return text


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """A logging filter that lets every record through with the secrets of its URLs redacted."""

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


# --- nginx -------------------------------------------------------------------------------------

NGINX_BEGIN = "# BEGIN secret URLs: generated by `python -m leerscan.logs`; do not edit by hand."
NGINX_END = "# END secret URLs"
# The variables deploy/nginx-leerscan.conf's log_format writes.
NGINX_OUTPUTS = {"$request_uri": "$leerscan_uri", "$http_referer": "$leerscan_referer"}


def nginx_log_maps() -> str:
    """The `map` blocks that give nginx's log format the request URI and referrer, redacted.

    One map per secret URL and source, chained: each redacts the first occurrence of its URL in
    what the map before it made (a map replaces once, where `redact` replaces every occurrence).
    A last map drops the query string if it still names a secret URL (a second one, as in
    "?next=/team/..."). The last map of a chain sets the variable the format writes.
    """
    any_prefix = "|".join(url.prefix_regex for url in SECRET_URLS)
    lines = [NGINX_BEGIN]
    for source, output in NGINX_OUTPUTS.items():
        stem = output.removeprefix("$")
        previous = source
        for number, url in enumerate(SECRET_URLS, start=1):
            target = f"${stem}_{number}"
            head, tail = f"{stem}_{number}_head", f"{stem}_{number}_tail"
            regex = f"^(?<{head}>.*?{url.prefix_regex}){url.secret_regex}(?<{tail}>.*)$"
            lines += [
                f"# {url.what}: {url.prefix}... in {source}",
                f"map {previous} {target} {{",
                f'    "~{regex}" "${{{head}}}{url.placeholder}${{{tail}}}";',
                f"    default {previous};",
                "}",
            ]
            previous = target
        head = f"{stem}_query_head"
        lines += [
            f"# a query string in {source} that still names a secret URL",
            f"map {previous} {output} {{",
            f'    "~^(?<{head}>[^?]*)\\?.*(?:{any_prefix}){SEGMENT}" "${{{head}}}?<query>";',
            f"    default {previous};",
            "}",
        ]
    lines.append(NGINX_END)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(nginx_log_maps())
