-- The database and its role (README "Deploying", step 3). Run once, as PostgreSQL's superuser:
--   sudo -u postgres psql -v password="$(cat /root/lawsite-db-password)" -f deploy/create-database.sql
-- Optional: -v role=... -v database=... (defaults lawsite, lawsite). The role owns its database and nothing
-- else: it cannot create databases or roles, and no other role may connect to its database.
-- tests/test_deploy_rehearsal.py runs this file.
\set ON_ERROR_STOP on
\if :{?role}
\else
  \set role lawsite
\endif
\if :{?database}
\else
  \set database lawsite
\endif

CREATE ROLE :"role" LOGIN NOCREATEDB NOCREATEROLE NOSUPERUSER PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"role";
