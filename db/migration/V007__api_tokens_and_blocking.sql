-- Personal API tokens and blocking people.
--
-- A token is stored only as the SHA-256 of its text: tokens are 256 random bits, so a fast hash
-- is as strong as a slow one and lets every API call find its token with one index lookup. The
-- first characters after the prefix are kept to tell tokens apart on pages.
CREATE TABLE api_token (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL,
    name          text        NOT NULL,
    scope         text        NOT NULL,
    token_hash    bytea       NOT NULL,
    hint          text        NOT NULL,
    created       timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    last_used     timestamptz,
    revoked_at    timestamptz,
    revoked_by    text,
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT api_token_hash_length CHECK (length(token_hash) = 32),
    CONSTRAINT api_token_scope_known CHECK (scope IN ('read', 'write')),
    CONSTRAINT api_token_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT api_token_expiry CHECK (expires_at > created),
    CONSTRAINT api_token_username_format CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    CONSTRAINT api_token_revoked_together CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX api_token_owner ON api_token (username, created DESC);

-- An admin can block a person: their pages, API tokens and jump host keys stop at once. A person
-- blocked before they ever signed in gets a row here too, so the block holds at their first visit.
ALTER TABLE person
    ADD COLUMN blocked_at    timestamptz,
    ADD COLUMN blocked_by    text,
    ADD COLUMN last_sign_in  timestamptz,
    ADD CONSTRAINT person_blocked_together CHECK ((blocked_at IS NULL) = (blocked_by IS NULL));
