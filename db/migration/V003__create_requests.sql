-- Guest templates: what developers can ask for, and the limits of each.
CREATE TABLE template (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text    NOT NULL,
    kind            text    NOT NULL,
    hypervisor_ref  text    NOT NULL,
    os_user         text    NOT NULL,
    description     text    NOT NULL DEFAULT '',
    default_cores   integer NOT NULL,
    max_cores       integer NOT NULL,
    default_memory_mib integer NOT NULL,
    max_memory_mib  integer NOT NULL,
    default_disk_gib integer NOT NULL,
    max_disk_gib    integer NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    version         bigint  NOT NULL DEFAULT 0,
    CONSTRAINT template_name_unique UNIQUE (name),
    CONSTRAINT template_name_format CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT template_kind_known CHECK (kind IN ('VM', 'CONTAINER')),
    CONSTRAINT template_ref_present CHECK (length(hypervisor_ref) BETWEEN 1 AND 255),
    CONSTRAINT template_os_user_format CHECK (os_user ~ '^[a-z_][a-z0-9_-]{0,31}$'),
    CONSTRAINT template_cores CHECK (default_cores BETWEEN 1 AND max_cores AND max_cores <= 512),
    CONSTRAINT template_memory CHECK (default_memory_mib BETWEEN 16 AND max_memory_mib
                                      AND max_memory_mib <= 4194304),
    CONSTRAINT template_disk CHECK (default_disk_gib BETWEEN 1 AND max_disk_gib
                                    AND max_disk_gib <= 65536)
);

-- A developer's request for a guest, from submission to deletion.
CREATE TABLE guest_request (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner           text        NOT NULL,
    state           text        NOT NULL,
    kind            text        NOT NULL,
    name            text        NOT NULL,
    template_id     bigint      NOT NULL REFERENCES template (id),
    cores           integer     NOT NULL,
    memory_mib      integer     NOT NULL,
    disk_gib        integer     NOT NULL,
    network_mode    text        NOT NULL,
    http_port       integer,
    ledger_host     text,
    ipv4            text,
    ipv6            text,
    mac             text,
    claim_commit    text,
    address_released_at timestamptz,
    release_commit  text,
    ssh_keys        text[]      NOT NULL,
    lease_days      integer     NOT NULL,
    lease_ends      timestamptz,
    lease_warned_days integer,
    purpose         text        NOT NULL,
    reason          text,
    guest_node      text,
    guest_ref       text,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now(),
    version         bigint      NOT NULL DEFAULT 0,
    CONSTRAINT guest_request_owner_format CHECK (owner ~ '^[A-Za-z0-9._@-]{1,64}$'),
    CONSTRAINT guest_request_state_known CHECK (state IN ('SUBMITTED', 'APPROVED', 'PROVISIONING',
        'READY', 'EXPIRED', 'DELETING', 'DELETED', 'REJECTED', 'CANCELLED', 'FAILED')),
    CONSTRAINT guest_request_kind_known CHECK (kind IN ('VM', 'CONTAINER')),
    CONSTRAINT guest_request_name_label CHECK (name ~ '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'),
    CONSTRAINT guest_request_sizes CHECK (cores > 0 AND memory_mib > 0 AND disk_gib > 0),
    CONSTRAINT guest_request_network_known CHECK (network_mode IN ('LEDGER', 'NAT')),
    CONSTRAINT guest_request_ledger_host CHECK ((network_mode = 'LEDGER') = (ledger_host IS NOT NULL)),
    CONSTRAINT guest_request_http_port CHECK (http_port IS NULL
        OR (network_mode = 'NAT' AND http_port BETWEEN 1 AND 65535)),
    CONSTRAINT guest_request_has_key CHECK (cardinality(ssh_keys) >= 1),
    CONSTRAINT guest_request_lease CHECK (lease_days > 0),
    CONSTRAINT guest_request_purpose CHECK (length(purpose) BETWEEN 1 AND 500)
);
-- A name belongs to one live guest at a time; an entry to one request until it is released.
CREATE UNIQUE INDEX guest_request_live_name ON guest_request (name)
    WHERE state NOT IN ('REJECTED', 'CANCELLED', 'DELETED');
CREATE UNIQUE INDEX guest_request_held_entry ON guest_request (ledger_host)
    WHERE ledger_host IS NOT NULL AND address_released_at IS NULL;
CREATE INDEX guest_request_owner ON guest_request (owner, created DESC);
CREATE INDEX guest_request_state ON guest_request (state, created);

-- The audit trail: every change of a request's state, who made it and why.
CREATE TABLE request_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  bigint      NOT NULL REFERENCES guest_request (id),
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    from_state  text,
    to_state    text        NOT NULL,
    reason      text
);
CREATE INDEX request_event_by_request ON request_event (request_id, id);
CREATE INDEX request_event_by_time ON request_event (at DESC);

-- Per-user quota overrides; a NULL column means the configured default.
CREATE TABLE quota (
    username    text        PRIMARY KEY,
    guests      integer CHECK (guests >= 0),
    cores       integer CHECK (cores >= 0),
    memory_mib  integer CHECK (memory_mib >= 0),
    disk_gib    integer CHECK (disk_gib >= 0),
    updated_by  text        NOT NULL,
    updated     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT quota_username_format CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$')
);

-- SSH public keys people keep in their profile, to choose from when they request a guest.
CREATE TABLE ssh_key (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username     text        NOT NULL,
    label        text        NOT NULL,
    public_key   text        NOT NULL,
    fingerprint  text        NOT NULL,
    added        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ssh_key_unique UNIQUE (username, fingerprint),
    CONSTRAINT ssh_key_label CHECK (length(label) BETWEEN 1 AND 100)
);

-- Mail Berth has written: delivered by a job when SMTP is configured, shown on the outbox page.
CREATE TABLE mail_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient   text        NOT NULL,
    subject     text        NOT NULL,
    body        text        NOT NULL,
    request_id  bigint REFERENCES guest_request (id),
    created     timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX mail_outbox_by_time ON mail_outbox (created DESC);
