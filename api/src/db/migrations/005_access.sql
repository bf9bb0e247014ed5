-- Access control: accounts, sessions, API tokens, project areas, shares and the audit log.
-- Who may read what is decided in one place (api/src/auth/policy.ts); these tables hold its facts.

-- Tenants: organisations gain a slug (for the admin CLI and URLs), contractors an end date.
ALTER TABLE organisation ADD COLUMN slug text UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$');
ALTER TABLE organisation ADD COLUMN active_until date;
ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
  CHECK (kind IN ('gemeente','netbeheerder','drinkwaterbedrijf','waterschap','telecom','aannemer','overig'));

CREATE TABLE app_user (
  id            serial PRIMARY KEY,
  org_id        integer NOT NULL REFERENCES organisation(id),
  email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  display_name  text,
  role          text NOT NULL CHECK (role IN ('admin','analyst','area_manager','participant')),
  password_hash text NOT NULL,                   -- argon2id (PHC string)
  totp_secret   text,                            -- base32; set when the second factor is on
  totp_pending  text,                            -- base32 being enrolled, until the first code confirms it
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email));

-- Sessions and tokens are stored as SHA-256 of the secret: a database leak hands out no login.
CREATE TABLE user_session (
  id_hash      text PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE api_token (
  id           serial PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name         text NOT NULL,
  prefix       text NOT NULL,                    -- first characters, to recognise a token in lists
  token_hash   text NOT NULL UNIQUE,
  scope        text NOT NULL CHECK (scope IN ('read','write')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE password_reset (
  token_hash text PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- Project areas a user is assigned to (area managers' areas; where C3 data of others is visible).
CREATE TABLE area_assignment (
  id          serial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name        text NOT NULL,
  geom        geometry(MultiPolygon, :SRID) NOT NULL,
  valid_from  date NOT NULL DEFAULT current_date,
  valid_until date NOT NULL,
  CHECK (valid_until >= valid_from)
);
CREATE INDEX area_assignment_user ON area_assignment (user_id);

-- A C2 layer shared with another organisation, optionally only inside an area, until a date.
CREATE TABLE dataset_share (
  id          serial PRIMARY KEY,
  dataset_id  integer NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  org_id      integer NOT NULL REFERENCES organisation(id),
  geom        geometry(MultiPolygon, :SRID),
  valid_until date NOT NULL,
  created_by  integer REFERENCES app_user(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dataset_share_org ON dataset_share (org_id);

-- Works are classified like layers.
ALTER TABLE work ADD COLUMN confidentiality text NOT NULL DEFAULT 'C1' CHECK (confidentiality IN ('C0','C1','C2','C3'));

-- KLIC deliveries hold cables and pipes of network operators: critical infrastructure (C3) unless
-- an administrator classifies them otherwise.
UPDATE dataset SET confidentiality = 'C3' WHERE source_kind = 'klic';
-- Municipality outlines are public.
UPDATE dataset SET confidentiality = 'C0' WHERE source_kind = 'reference';

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES app_user(id) ON DELETE SET NULL,
  org_id      integer REFERENCES organisation(id),
  action      text NOT NULL,                     -- e.g. login, logout, read_c3, export, import, denied
  object_type text,
  object_id   text,
  result      text NOT NULL CHECK (result IN ('ok','denied','failed')),
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
