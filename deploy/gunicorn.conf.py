"""Gunicorn settings of Leerscan's app servers: `make run-prod` and deploy/leerscan-web.service.

    gunicorn -c deploy/gunicorn.conf.py leerscan.wsgi:application

gthread workers, not sync: a sync worker serves one connection at a time, so two clients that open
a connection and send nothing (or half a request) held both sync workers until the timeout, and the
site answered nobody meanwhile. A gthread worker waits for a whole request before it gives the
connection to a thread, so slow clients cost little (docs/reliability.md, perf/halfopen.py). In
production nginx buffers every request in front of it as well (deploy/nginx-leerscan.conf).
"""

from __future__ import annotations

import os

# Loopback only unless told otherwise; behind nginx on another machine bind to a private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes: about one per core. Each holds the charts and the report renderer once.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
# Threads per process. Pages wait on the database most of the time; the PDF renderer and the
# charts take turns within a process (a lock), so more threads would only queue there.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker that does not report back within this many seconds is restarted (a report renders in
# about a second; 60 leaves room on a busy machine).
timeout = 60
graceful_timeout = 30
# Idle keep-alive connections are kept longer than nginx keeps its idle connections to the app
# servers (deploy/nginx-leerscan.conf: keepalive_timeout 60s in the upstream), so that nginx always
# closes first: when the server closes a connection just as the client sends on it, the request
# fails, and nginx does not retry a POST (the soak test saw this with gunicorn's 5 s default).
# A gthread worker holds idle connections in its poller, not in a thread.
keepalive = 75
# Restart a worker now and then, at a spread-out moment, to give back any memory it gathered.
max_requests = 2000
max_requests_jitter = 200
# Errors to standard error (journald under systemd). The access log is off by default, since
# nginx writes one; GUNICORN_ACCESS_LOG=- turns it on (to standard output). Both go through
# leerscan's logger class, which writes /scan/<token>/ in place of a scan's private token, and so
# on for every URL that carries a secret (leerscan/logs.py's SECRET_URLS).
logger_class = "leerscan.gunicorn_logger.RedactingLogger"
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket (gunicorn 25+ opens one in $HOME/.gunicorn by default): two gunicorns on one
# machine would share its path, and the systemd units keep the home read-only. Reload with HUP.
control_socket_disable = True
# The app is imported in each worker, not in the master: a restart of one worker loads new code
# and no database connection is ever shared across a fork.
preload_app = False
