#!/usr/bin/env bash
# Nightly database backup: `deploy/backup.sh [DIRECTORY]` (default /var/backups/lawsite), from cron or a
# systemd timer, as a user that can read the database. Writes lawsite-<UTC time>.dump (pg_dump custom
# format, readable by its owner only) and deletes dumps older than KEEP_DAYS (30). Prints the file name.
# Uses DATABASE_URL (as the site does) and the pg_dump on PATH, or in PG_BIN when set; pg_dump must be at
# least as new as the server. Rehearse a restore regularly with deploy/restore_drill.py.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must be set (the same value the site uses)}"
directory=${1:-/var/backups/lawsite}
pg_dump=${PG_BIN:+$PG_BIN/}pg_dump
umask 077
mkdir -p "$directory"
file="$directory/lawsite-$(date -u +%Y%m%dT%H%M%SZ).dump"
"$pg_dump" --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"  # a half-written dump never looks like a good one
find "$directory" -maxdepth 1 -name 'lawsite-*.dump' -mtime +"${KEEP_DAYS:-30}" -delete
echo "$file"
