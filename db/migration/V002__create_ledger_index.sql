-- The address ledger's index: one row per entry of the ledger's Git head, for listing and
-- filtering. Git is the source of truth; these rows are rebuilt from it whenever its head moves.
CREATE TABLE ledger_entry (
    host        text NOT NULL,
    file        text NOT NULL,
    ipv4        text,
    ipv6        text,
    mac         text NOT NULL,
    holder      text,
    claimed_on  text,
    CONSTRAINT ledger_entry_pkey PRIMARY KEY (host),
    CONSTRAINT ledger_entry_mac_unique UNIQUE (mac),
    CONSTRAINT ledger_entry_ipv4_unique UNIQUE (ipv4),
    CONSTRAINT ledger_entry_ipv6_unique UNIQUE (ipv6),
    CONSTRAINT ledger_entry_host_lower CHECK (host = lower(host)),
    CONSTRAINT ledger_entry_has_address CHECK (ipv4 IS NOT NULL OR ipv6 IS NOT NULL),
    CONSTRAINT ledger_entry_ipv4_family CHECK (ipv4 IS NULL OR family(ipv4::inet) = 4),
    CONSTRAINT ledger_entry_ipv6_family CHECK (ipv6 IS NULL OR family(ipv6::inet) = 6),
    CONSTRAINT ledger_entry_mac_canonical CHECK (mac = mac::macaddr::text)
);
CREATE INDEX ledger_entry_holder ON ledger_entry (holder);

-- Where the index stands: the commit it reflects, and the state of the remote's head.
CREATE TABLE ledger_state (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    indexed_commit   text,
    head_commit      text,
    broken_commit    text,
    problems         text[] NOT NULL DEFAULT '{}',
    last_sync        timestamptz,
    last_sync_error  text
);
INSERT INTO ledger_state (id) VALUES (true);

-- Which commits changed which entry: the history shown on an entry's page.
CREATE TABLE ledger_change (
    commit_id     text        NOT NULL,
    host          text        NOT NULL,
    author_name   text        NOT NULL,
    author_email  text,
    committed_at  timestamptz NOT NULL,
    message       text        NOT NULL,
    CONSTRAINT ledger_change_pkey PRIMARY KEY (host, commit_id)
);
CREATE INDEX ledger_change_by_time ON ledger_change (host, committed_at DESC);
