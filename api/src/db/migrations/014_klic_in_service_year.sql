-- The coupling rule (issue 6) reads an asset's in-service year. KLIC deliveries give the date an
-- object came into use as IMKL `validFrom`; the importer kept it as in_service_date only. Network
-- operators fill unknown dates with placeholders: 0001-01-01, 1700-01-01, 1800-01-01 and (the
-- gemeente Maasgouw sewer: 667 of its 915 pipes) 1900-01-01. One function says which dates count,
-- for the importer and for the backfill below.
CREATE FUNCTION klic_in_service_year(d date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN d >= DATE '1850-01-01' AND d <> DATE '1900-01-01' AND d <= DATE '2200-12-31'
              THEN extract(year FROM d)::int END;

UPDATE asset SET in_service_year = klic_in_service_year(in_service_date)
WHERE source_kind = 'klic' AND in_service_year IS NULL AND in_service_date IS NOT NULL;
