-- Wijkschouw and atelier (issue 7): a walk (schouw) an area manager organises, the phones that
-- joined it with its short code (no account: a device token, stored hashed), the hotspots they post
-- (kans/knelpunt with theme, note, place and an optional photo whose metadata the server strips),
-- the studio's comments, and pairwise comparison sessions with their choices.
CREATE TABLE walk (
  id                serial PRIMARY KEY,
  org_id            integer NOT NULL REFERENCES organisation(id),
  title             text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  walk_date         date NOT NULL,
  themes            text[] NOT NULL CHECK (cardinality(themes) BETWEEN 1 AND 40),
  area              geometry(Geometry, :SRID),
  route             geometry(Geometry, :SRID),
  code              text NOT NULL UNIQUE CHECK (code ~ '^[A-Z2-9]{6}$'),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at         timestamptz,
  rounding_m        integer NOT NULL DEFAULT 25 CHECK (rounding_m BETWEEN 0 AND 1000),
  retention_months  integer NOT NULL DEFAULT 12 CHECK (retention_months BETWEEN 1 AND 120),
  created_by        integer REFERENCES app_user(id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1
);

CREATE TABLE walk_device (
  id            serial PRIMARY KEY,
  walk_id       integer NOT NULL REFERENCES walk(id) ON DELETE CASCADE,
  token_hash    text NOT NULL UNIQUE,
  name          text CHECK (length(name) <= 80),            -- personal: removed after the retention term
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX walk_device_walk ON walk_device (walk_id);

CREATE TABLE hotspot (
  id            uuid PRIMARY KEY,                            -- made on the phone: a retried post is stored once
  walk_id       integer NOT NULL REFERENCES walk(id) ON DELETE CASCADE,
  device_id     integer REFERENCES walk_device(id) ON DELETE SET NULL,
  kind          text NOT NULL CHECK (kind IN ('kans', 'knelpunt')),
  theme         text NOT NULL,
  note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  author_name   text CHECK (length(author_name) <= 80),     -- personal
  geom          geometry(Point, :SRID) NOT NULL,
  accuracy_m    double precision,
  observed_at   timestamptz NOT NULL,                        -- when the phone saved it
  received_at   timestamptz NOT NULL DEFAULT now(),
  photo         bytea,                                       -- metadata stripped, pixels as sent
  photo_type    text CHECK (photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
  status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'published', 'hidden')),
  cluster       text CHECK (length(cluster) <= 80),          -- the studio's grouping
  version       integer NOT NULL DEFAULT 1,
  seq           bigserial UNIQUE,                            -- order of arrival and change: the live feed's event id
  CHECK ((photo IS NULL) = (photo_type IS NULL))
);
CREATE INDEX hotspot_walk ON hotspot (walk_id, received_at);
CREATE INDEX hotspot_geom ON hotspot USING gist (geom);

CREATE TABLE hotspot_comment (
  id          serial PRIMARY KEY,
  hotspot_id  uuid NOT NULL REFERENCES hotspot(id) ON DELETE CASCADE,
  user_id     integer REFERENCES app_user(id) ON DELETE SET NULL,
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hotspot_comment_hotspot ON hotspot_comment (hotspot_id);

CREATE TABLE pairwise_session (
  id          serial PRIMARY KEY,
  walk_id     integer NOT NULL REFERENCES walk(id) ON DELETE CASCADE,
  title       text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  items       jsonb NOT NULL,                                -- [{id, label}]: hotspots or themes
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by  integer REFERENCES app_user(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pairwise_choice (
  id          uuid PRIMARY KEY,                              -- made by the client: a retried choice is stored once
  session_id  integer NOT NULL REFERENCES pairwise_session(id) ON DELETE CASCADE,
  device_id   integer REFERENCES walk_device(id) ON DELETE SET NULL,
  user_id     integer REFERENCES app_user(id) ON DELETE SET NULL,
  a           text NOT NULL,
  b           text NOT NULL,
  choice      text NOT NULL CHECK (choice IN ('a', 'b', 'tie')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (a <> b)
);
CREATE INDEX pairwise_choice_session ON pairwise_choice (session_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON walk, walk_device, hotspot, hotspot_comment, pairwise_session, pairwise_choice TO samenhang_app;
GRANT USAGE, SELECT ON SEQUENCE walk_id_seq, walk_device_id_seq, hotspot_comment_id_seq, pairwise_session_id_seq, hotspot_seq_seq TO samenhang_app;

-- The organising organisation's partners manage its walks and everything in them. Participants
-- have no account: the API resolves their device token in the system context and limits every
-- query to the one walk the device joined (routes/walk-participant.ts).
ALTER TABLE walk ENABLE ROW LEVEL SECURITY;
ALTER TABLE walk FORCE ROW LEVEL SECURITY;
CREATE POLICY walk_system ON walk USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY walk_org ON walk USING (samenhang_partner() AND org_id = samenhang_org()) WITH CHECK (samenhang_partner() AND org_id = samenhang_org());

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['walk_device', 'hotspot', 'pairwise_session'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (samenhang_system()) WITH CHECK (samenhang_system())', t || '_system', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (EXISTS (SELECT 1 FROM walk w WHERE w.id = walk_id)) WITH CHECK (EXISTS (SELECT 1 FROM walk w WHERE w.id = walk_id))', t || '_org', t);
  END LOOP;
END $$;

ALTER TABLE hotspot_comment ENABLE ROW LEVEL SECURITY;
ALTER TABLE hotspot_comment FORCE ROW LEVEL SECURITY;
CREATE POLICY hotspot_comment_system ON hotspot_comment USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY hotspot_comment_org ON hotspot_comment USING (EXISTS (SELECT 1 FROM hotspot h WHERE h.id = hotspot_id))
  WITH CHECK (EXISTS (SELECT 1 FROM hotspot h WHERE h.id = hotspot_id));

ALTER TABLE pairwise_choice ENABLE ROW LEVEL SECURITY;
ALTER TABLE pairwise_choice FORCE ROW LEVEL SECURITY;
CREATE POLICY pairwise_choice_system ON pairwise_choice USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY pairwise_choice_org ON pairwise_choice USING (EXISTS (SELECT 1 FROM pairwise_session s WHERE s.id = session_id))
  WITH CHECK (EXISTS (SELECT 1 FROM pairwise_session s WHERE s.id = session_id));
