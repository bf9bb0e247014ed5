-- Principal cache invalidation (issue 9): statements that change who a signed-in caller is or what
-- they may read send NOTIFY samenhang_tiles 'auth' at commit (same channel and listener as the tile
-- cache, migration 017; the tile cache ignores 'auth'). New sessions and tokens need no notice (a
-- new key); a token's last_used_at does not change what it may do, so only these columns count.
CREATE TRIGGER auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_user
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
CREATE TRIGGER auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON user_session
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
CREATE TRIGGER auth_changed AFTER UPDATE OF revoked_at, scope, user_id OR DELETE OR TRUNCATE ON api_token
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
CREATE TRIGGER auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area_assignment
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
CREATE TRIGGER auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dataset_share
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
CREATE TRIGGER auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation
  FOR EACH STATEMENT EXECUTE FUNCTION samenhang_tiles_changed('auth');
