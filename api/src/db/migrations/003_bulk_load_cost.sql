-- Bulk loads measured (scripts/bench, 1,000,000 rows): the foreign-key lookup per row on
-- asset.system and the lower(label) index cost ~13 s and ~3 s of a ~39 s insert. The system
-- taxonomy is fixed in code (api/src/model/systems.ts), so a CHECK is as strict as the FK without
-- a lookup per row; search matches labels with ILIKE '%q%', which a btree on lower(label) cannot
-- serve, so that index only cost writes.
ALTER TABLE asset DROP CONSTRAINT asset_system_fkey;
ALTER TABLE asset ADD CONSTRAINT asset_system_known CHECK (system IN (
  'riool_vrijverval', 'riool_pers', 'drinkwater', 'elektriciteit_ls', 'elektriciteit_ms', 'elektriciteit_hs',
  'gas_ld', 'gas_hd', 'warmte', 'telecom', 'groen', 'mobiliteit', 'verlichting', 'overig'));
DROP INDEX asset_label_lower;
