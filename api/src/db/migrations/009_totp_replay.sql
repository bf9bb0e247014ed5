-- A TOTP code is accepted once: the time step of the last accepted code is remembered (RFC 6238 §5.2).
ALTER TABLE app_user ADD COLUMN totp_last_step bigint;
