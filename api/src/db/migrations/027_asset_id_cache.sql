-- Every row of a load takes its id from asset_id_seq as a column default. Uncached, each nextval()
-- locks and reads the sequence's page (and writes WAL every 32 values): ~0.2–0.4 s of PostgreSQL's
-- ~1.6–2.0 s COPY of 1,000,000 rows of a file layer (issue 3, measured on the rows of the
-- benchmark layer replayed by binary COPY). With a cache each session takes 1,000 values at a time
-- and hands them out from memory. Ids stay unique (sessions get disjoint blocks) and increasing
-- within a session; across sessions they are no longer in insertion order and a session that ends
-- leaves the rest of its block unused: nothing reads an asset id as an order or a count
-- (docs/architecture.md, decision 111).
ALTER SEQUENCE asset_id_seq CACHE 1000;
