-- Row-level security on the account tables too: users, sessions, API tokens and reset tokens.
-- Sign-in, session and token lookups are trusted code in the system context; a signed-in user
-- reads their own account and tokens; an administrator reads and manages the users of their own
-- organisation. samenhang.user carries the caller's user id.

CREATE FUNCTION samenhang_user() RETURNS integer LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('samenhang.user', true), '')::integer $$;

ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_user FORCE ROW LEVEL SECURITY;
CREATE POLICY user_system ON app_user USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY user_self ON app_user FOR SELECT USING (id = samenhang_user());
CREATE POLICY user_admin ON app_user
  USING (samenhang_admin() AND org_id = samenhang_org()) WITH CHECK (samenhang_admin() AND org_id = samenhang_org());

ALTER TABLE api_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_token FORCE ROW LEVEL SECURITY;
CREATE POLICY token_system ON api_token USING (samenhang_system()) WITH CHECK (samenhang_system());
CREATE POLICY token_own ON api_token USING (user_id = samenhang_user()) WITH CHECK (user_id = samenhang_user());

ALTER TABLE user_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_session FORCE ROW LEVEL SECURITY;
CREATE POLICY session_system ON user_session USING (samenhang_system()) WITH CHECK (samenhang_system());

ALTER TABLE password_reset ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_reset FORCE ROW LEVEL SECURITY;
CREATE POLICY reset_system ON password_reset USING (samenhang_system()) WITH CHECK (samenhang_system());
