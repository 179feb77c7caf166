-- People who have signed in to Berth. The identity provider owns accounts; this table records
-- who has used Berth, so admins can see them and later features can refer to them by user name.
CREATE TABLE person (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL,
    display_name  text        NOT NULL,
    email         text,
    roles         text[]      NOT NULL DEFAULT '{}',
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT person_username_unique UNIQUE (username),
    CONSTRAINT person_username_format CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    CONSTRAINT person_roles_known CHECK (roles <@ ARRAY['developer', 'admin']::text[]),
    CONSTRAINT person_seen_order CHECK (first_seen <= last_seen)
);
