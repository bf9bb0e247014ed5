-- The permissive `*_system` policies of migration 006 (trusted code paths: loads, sign-in lookups)
-- called samenhang_system() — a current_setting() look-up — for every row a query touched, and
-- PostgreSQL ORs it in before the policy that lets a caller read: a 5,500-feature tile paid it
-- 5,500 times (issue 9, tile benchmark). As an uncorrelated sub-select it is an InitPlan: evaluated
-- once per query, with the same value (the setting is transaction-local and set before the query).
-- Only the USING side changes; WITH CHECK keeps the function as it was.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT p.polname, c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
           WHERE pg_get_expr(p.polqual, p.polrelid) = 'samenhang_system()' ORDER BY c.relname, p.polname LOOP
    EXECUTE format('ALTER POLICY %I ON %I USING ((SELECT samenhang_system()))', r.polname, r.relname);
  END LOOP;
END $$;
