#!/usr/bin/env bash
# Nightly backup of everything needed to bring the site back (README "Backups"): the database, the uploaded
# media and the environment file, in one dated archive encrypted with age to BACKUP_AGE_RECIPIENT.
#
#   sudo /srv/lawsite/app/deploy/backup.sh            # what lawsite-backup.timer runs every night
#
# Runs as root (it reads /etc/lawsite/env and the media directory). Reads its settings from the env file:
# DATABASE_URL, DJANGO_MEDIA_ROOT, BACKUP_AGE_RECIPIENT (one or more age public keys, space-separated; the
# private key is kept off this server), BACKUP_DIR (/var/backups/lawsite), BACKUP_KEEP_DAYS (30) and
# BACKUP_OFFSITE_COMMAND (optional: run with the finished archive's path as $1, e.g.
# 'rclone copy "$1" offsite:lawsite-backups/'). Writes BACKUP_DIR/lawsite-<UTC time>.tar.age (mode 600)
# holding lawsite-<time>/database.dump (pg_dump custom format), media.tar, env and SHA256SUMS; deletes
# archives older than BACKUP_KEEP_DAYS; prints the archive's path. Any failure exits non-zero, so the unit
# fails and its OnFailure= alert goes out (deploy/systemd/lawsite-backup.service).
# pg_dump comes from PATH (Debian's postgresql-client of the server's version) or PG_BIN.
# Restore or rehearse with deploy/restore_drill.py.
set -euo pipefail
env_file=${LAWSITE_ENV_FILE:-/etc/lawsite/env}
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
: "${DATABASE_URL:?DATABASE_URL must be set in $env_file}"
: "${BACKUP_AGE_RECIPIENT:?BACKUP_AGE_RECIPIENT (an age public key, age1...) must be set in $env_file}"
directory=${1:-${BACKUP_DIR:-/var/backups/lawsite}}
media=${DJANGO_MEDIA_ROOT:-/srv/lawsite/media}
pg_dump=${PG_BIN:+$PG_BIN/}pg_dump
recipients=()
for key in $BACKUP_AGE_RECIPIENT; do
    recipients+=(--recipient "$key")
done

umask 077
mkdir -p "$directory"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
content="$work/lawsite-$stamp"
mkdir "$content"
"$pg_dump" --format=custom --no-owner --no-privileges --file="$content/database.dump" "$DATABASE_URL"
tar --create --file="$content/media.tar" --directory="$media" .
cp "$env_file" "$content/env"
(cd "$content" && sha256sum database.dump media.tar env > SHA256SUMS)
archive="$directory/lawsite-$stamp.tar.age"
tar --create --directory="$work" "lawsite-$stamp" | age "${recipients[@]}" --output="$archive.partial"
mv "$archive.partial" "$archive"  # a half-written archive never looks like a good one
find "$directory" -maxdepth 1 -name 'lawsite-*.tar.age' -mtime +"${BACKUP_KEEP_DAYS:-30}" -delete
if [ -n "${BACKUP_OFFSITE_COMMAND:-}" ]; then
    bash -c "$BACKUP_OFFSITE_COMMAND" offsite-copy "$archive"
fi
echo "$archive"
