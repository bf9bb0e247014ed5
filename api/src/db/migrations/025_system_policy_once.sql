-- The permissive policy `asset_system` of migration 006 (trusted code paths: loads, sign-in
-- lookups) called samenhang_system() — a current_setting() look-up — for every row a query on
-- `asset` touched, and PostgreSQL ORs it in before the policy that lets a caller read: a
-- 5,500-feature tile paid it 5,500 times (issue 9, tile benchmark: ~1 ms of a z14 tile). As an
-- uncorrelated sub-select it is an InitPlan: evaluated once per query, with the same value (the
-- setting is transaction-local and set before the query). Only the USING side changes; WITH CHECK
-- keeps the function. Only `asset`: a sub-select in a policy makes PostgreSQL expand the policies
-- of the tables the other policies name, and the policies of joint_project and joint_project_work
-- name each other (infinite recursion on an insert into joint_project_work).
ALTER POLICY asset_system ON asset USING ((SELECT samenhang_system()));
