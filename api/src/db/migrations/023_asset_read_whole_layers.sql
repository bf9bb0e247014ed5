-- asset_read (migration 006) looked the row's dataset up once per row: an index probe of
-- `dataset`, under dataset's own policy, for every asset a query touched (an OGC API items page of
-- 1,600 rows at 1,000,000 segments spent about a third of its scan there; issue 9). Most rows belong
-- to a layer the caller may read whole (C0; C1 and their own layers for a partner), which needs no
-- look at the row: those layers' ids are now listed once per query (an InitPlan: the uncorrelated
-- sub-select) and a row of them passes on the array test alone. Every other row meets the rule of
-- 006 unchanged, so the policy allows exactly what it allowed: the list's condition is one of the
-- rule's own disjuncts, read from `dataset` under the same policy.
CREATE FUNCTION samenhang_whole_datasets() RETURNS integer[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(d.id), '{}') FROM dataset d
  WHERE d.confidentiality = 'C0' OR (samenhang_partner() AND (d.confidentiality = 'C1' OR d.owner_id = samenhang_org()))
$$;

DROP POLICY asset_read ON asset;
CREATE POLICY asset_read ON asset FOR SELECT USING (
  asset.dataset_id = ANY ((SELECT samenhang_whole_datasets())::integer[])
  OR EXISTS (
  SELECT 1 FROM dataset d WHERE d.id = asset.dataset_id AND (
    d.confidentiality = 'C0'
    OR (samenhang_partner() AND (
      d.confidentiality = 'C1' OR asset.owner_id = samenhang_org() OR d.owner_id = samenhang_org()
      OR (d.confidentiality = 'C2' AND EXISTS (SELECT 1 FROM dataset_share s WHERE s.dataset_id = d.id
            AND s.org_id = samenhang_org() AND s.valid_until >= current_date AND (s.geom IS NULL OR ST_Intersects(asset.geom, s.geom))))
      OR (d.confidentiality = 'C3' AND ST_Intersects(asset.geom, (SELECT samenhang_areas()))))))));
