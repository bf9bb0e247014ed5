-- Core model: organisations, vital systems, datasets, assets, planned works, municipalities.
-- :SRID is the working CRS (metric; EPSG:28992 RD New by default). It is fixed at the first
-- migration and recorded in app_setting, because every geometry column depends on it.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE app_setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO app_setting (key, value) VALUES ('working_srid', ':SRID');

CREATE TABLE organisation (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('gemeente','netbeheerder','drinkwaterbedrijf','waterschap','telecom','overig')),
  klic_code  text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Organisations without a KLIC code (e.g. excavators named in a request) are unique by name.
CREATE UNIQUE INDEX organisation_name_nocode ON organisation (name) WHERE klic_code IS NULL;

CREATE TABLE vital_system (
  code       text PRIMARY KEY,
  label_nl   text NOT NULL,
  label_en   text NOT NULL,
  color      text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$'),
  sort_order integer NOT NULL
);

CREATE TABLE dataset (
  id              serial PRIMARY KEY,
  name            text NOT NULL,
  source_kind     text NOT NULL CHECK (source_kind IN ('klic','file','reference')),
  source_ref      text NOT NULL,                 -- file name of the delivery / file
  content_sha256  text NOT NULL,
  owner_id        integer REFERENCES organisation(id),
  confidentiality text NOT NULL DEFAULT 'C1' CHECK (confidentiality IN ('C0','C1','C2','C3')),
  imported_at     timestamptz NOT NULL DEFAULT now(),
  stats           jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (source_kind, source_ref)
);

CREATE TABLE asset (
  id              bigserial PRIMARY KEY,
  source_kind     text NOT NULL,
  source_id       text NOT NULL,                 -- e.g. the KLIC gml:id; stable across deliveries
  dataset_id      integer NOT NULL REFERENCES dataset(id),
  system          text NOT NULL REFERENCES vital_system(code),
  owner_id        integer REFERENCES organisation(id),
  asset_class     text NOT NULL,                 -- IMKL feature type or mapped class
  theme           text,
  status          text,
  in_service_date date,
  material        text,
  diameter_mm     double precision,
  voltage_v       double precision,
  pressure_bar    double precision,
  label           text,
  attributes      jsonb NOT NULL DEFAULT '{}'::jsonb,
  content_hash    text NOT NULL,
  geom            geometry(Geometry, :SRID) NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_kind, source_id)
);
CREATE INDEX asset_geom_gist ON asset USING gist (geom);
CREATE INDEX asset_system ON asset (system);
CREATE INDEX asset_label_lower ON asset (lower(label));

CREATE TABLE work (
  id            bigserial PRIMARY KEY,
  source_kind   text NOT NULL,
  source_id     text NOT NULL,
  dataset_id    integer REFERENCES dataset(id),
  owner_id      integer REFERENCES organisation(id),
  title         text NOT NULL,
  kind          text,                            -- main kind of work
  work_kinds    text[] NOT NULL DEFAULT '{}',
  request_type  text,                            -- graafmelding / orientatieverzoek (KLIC)
  description   text,
  street        text,
  place         text,
  start_date    date,
  end_date      date,
  request_date  date,
  attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  content_hash  text NOT NULL,
  geom          geometry(Geometry, :SRID) NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_kind, source_id)
);
CREATE INDEX work_geom_gist ON work USING gist (geom);

CREATE TABLE municipality (
  code  text PRIMARY KEY,                        -- CBS gemeentecode, e.g. GM1641
  name  text NOT NULL,
  year  integer NOT NULL,
  geom  geometry(MultiPolygon, :SRID) NOT NULL
);
CREATE INDEX municipality_geom_gist ON municipality USING gist (geom);
