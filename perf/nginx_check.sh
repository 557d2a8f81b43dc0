#!/usr/bin/env bash
# deploy/nginx-leerscan.conf tried for real: nginx with TLS (a self-signed certificate) in front of
# gunicorn on the loopback, with the production settings docs/deployment.md documents
# (DJANGO_BEHIND_TLS_PROXY=True, LEERSCAN_CLIENT_IP_HEADER=X-Real-IP, HTTPS redirect, Secure
# cookies, HSTS). Checks, with curl:
#   - plain HTTP is redirected to HTTPS by nginx;
#   - the landing page over HTTPS is 200 (Django trusts X-Forwarded-Proto: no redirect loop),
#     with HSTS and a Secure, SameSite CSRF cookie;
#   - a scan started over HTTPS (CSRF token and cookie, Referer) is a 302 to its first step;
#   - nginx's access log holds /scan/<token>/ instead of the token;
#   - nor does it hold the secret of any URL in leerscan/logs.py's SECRET_URLS (team links,
#     invitations, password resets, join codes), asked for with a made-up secret, in the request,
#     its query and its Referer.
# Needs nginx and openssl (apt-get install nginx-light openssl) and a database set up for the app
# (DATABASE_URL; `make setup` for the default SQLite). Prints each check; exits 1 if one fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }

tmp="$(mktemp -d /tmp/leerscan-nginx.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
app_port="$(free_port)" https_port="$(free_port)" http_port="$(free_port)"
host=leerscan.example.nl

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$host" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
mkdir -p "$tmp/logs"
# The example site file with this run's ports, certificate and log folder.
sed -e "s#/etc/letsencrypt/live/$host/fullchain.pem#$tmp/cert.pem#" \
    -e "s#/etc/letsencrypt/live/$host/privkey.pem#$tmp/key.pem#" \
    -e "s#/var/log/nginx/#$tmp/logs/#g" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#; /listen \[::\]:80;/d" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#; /listen \[::\]:443/d" \
    -e "s#return 301 https://\$host\$request_uri;#return 301 https://\$host:$https_port\$request_uri;#" \
    -e "s#server 127.0.0.1:8000 #server 127.0.0.1:$app_port #" \
    deploy/nginx-leerscan.conf >"$tmp/site.conf"
cat >"$tmp/nginx.conf" <<EOF
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events { worker_connections 256; }
http {
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $tmp/site.conf;
}
EOF

export DJANGO_DEBUG=False DJANGO_ALLOWED_HOSTS=$host \
    DJANGO_CSRF_TRUSTED_ORIGINS="https://$host:$https_port" \
    DJANGO_BEHIND_TLS_PROXY=True LEERSCAN_CLIENT_IP_HEADER=X-Real-IP \
    DJANGO_SECURE_SSL_REDIRECT=True DJANGO_SESSION_COOKIE_SECURE=True \
    DJANGO_CSRF_COOKIE_SECURE=True DJANGO_SECURE_HSTS_SECONDS=31536000 \
    GUNICORN_BIND="127.0.0.1:$app_port" GUNICORN_LOG_LEVEL=warning
if [[ -z "${DJANGO_SECRET_KEY:-}" && -z "${DJANGO_SECRET_KEY_FILE:-}" ]]; then
    export DJANGO_SECRET_KEY_FILE="$PWD/var/secret_key"
fi
"${PYTHON:-.venv/bin/python}" -m gunicorn -c deploy/gunicorn.conf.py leerscan.wsgi:application \
    >"$tmp/gunicorn.log" 2>&1 &
pids+=("$!")
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" &
pids+=("$!")

curl_() { curl -sS --resolve "$host:$https_port:127.0.0.1" --resolve "$host:$http_port:127.0.0.1" -k "$@"; }
for _ in $(seq 120); do
    curl_ -f -o /dev/null "https://$host:$https_port/gezond/" 2>/dev/null && break
    sleep 0.5
done

set +e
failed=0
check() { if eval "$2"; then echo "ok     $1"; else echo "FAILED $1"; failed=1; fi; }
redirect="$(curl_ -o /dev/null -w '%{http_code} %{redirect_url}' "http://$host:$http_port/scan/")"
check "plain HTTP is redirected to HTTPS ($redirect)" '[[ "$redirect" == "301 https://$host:$https_port/scan/" ]]'
curl_ -D "$tmp/landing.headers" -c "$tmp/cookies" -o "$tmp/landing.html" "https://$host:$https_port/scan/"
status="$(head -1 "$tmp/landing.headers" | tr -d '\r')"
check "the start page over HTTPS: $status" '[[ "$status" == *" 200"* ]]'
check "HSTS sent" 'grep -qi "^strict-transport-security: max-age=31536000" "$tmp/landing.headers"'
check "the CSRF cookie is Secure and SameSite=Lax" \
    'grep -i "^set-cookie: csrftoken" "$tmp/landing.headers" | grep -qi "secure" && grep -i "^set-cookie: csrftoken" "$tmp/landing.headers" | grep -qi "samesite=lax"'
token="$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$tmp/landing.html" | head -1 | cut -d'"' -f4)"
started="$(curl_ -b "$tmp/cookies" -o /dev/null -w '%{http_code} %{redirect_url}' \
    -H "Referer: https://$host:$https_port/scan/" -d "csrfmiddlewaretoken=$token" \
    "https://$host:$https_port/scan/")"
check "a scan started over HTTPS: ${started%% *} to its first step" \
    '[[ "$started" =~ ^302\ https://$host:$https_port/scan/[A-Za-z0-9_-]{32}/stap/1/ ]]'
step="${started#* }"
curl_ -o /dev/null "$step"
sleep 1
check "the access log names /scan/<token>/, never the token" \
    'grep -q "/scan/<token>/stap/1/" "$tmp/logs/leerscan.access.log" && ! grep -Eq "/scan/[A-Za-z0-9_-]{32}/" "$tmp/logs/leerscan.access.log"'
# One made-up URL per kind of secret URL (the list nginx's maps were generated from), each asked for
# with its secret in the path, in a "next" query and in the Referer.
mapfile -t secret_urls < <("${PYTHON:-.venv/bin/python}" -c '
import secrets
from leerscan.logs import SECRET_URLS
for url in SECRET_URLS:
    print(url.prefix + "/".join("Zq" + secrets.token_hex(8) for _ in range(url.segments)) + "/")')
for url in "${secret_urls[@]}"; do
    curl_ -o /dev/null -H "Referer: https://$host:$https_port$url" \
        "https://$host:$https_port${url}stap/1/?next=$url"
done
sleep 1
check "the access log holds none of ${#secret_urls[@]} made-up secrets (team link, invitation, ...)" \
    '[[ ${#secret_urls[@]} -ge 5 ]] && ! grep -Eq "Zq[0-9a-f]{16}" "$tmp/logs/leerscan.access.log"'
echo "access log:"
sed 's/^/  /' "$tmp/logs/leerscan.access.log"
exit "$failed"
