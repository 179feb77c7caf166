-- Provisioning: where each request's guest stands on the hypervisor, the VMIDs Berth uses, the
-- step-by-step log shown on the guest page, and what the last reconciliation found.

-- One row per request that has been provisioned; the node and VMID are the request's guest_node
-- and guest_ref, recorded before the guest is created. A row that holds a slot counts against its
-- node's concurrency limit (and its memory against the node's free memory) until the guest is
-- ready or provisioning fails. own_micros is the time the jobs spent on Berth's own work,
-- hypervisor_micros the time they waited on the hypervisor.
CREATE TABLE provisioning (
    request_id  bigint      PRIMARY KEY REFERENCES guest_request (id),
    step        text        NOT NULL,
    holds_slot  boolean     NOT NULL DEFAULT false,
    attempts    integer     NOT NULL DEFAULT 0,
    own_micros  bigint      NOT NULL DEFAULT 0,
    hypervisor_micros bigint NOT NULL DEFAULT 0,
    started     timestamptz NOT NULL,
    updated     timestamptz NOT NULL,
    CONSTRAINT provisioning_step_known CHECK (step IN ('PLACE', 'CREATE', 'CONFIGURE', 'START', 'DONE'))
);
CREATE INDEX provisioning_slots ON provisioning (request_id) WHERE holds_slot;

-- The VMIDs Berth has given to its guests; a VMID is recorded before the guest is created.
CREATE TABLE vmid_allocation (
    vmid        integer     PRIMARY KEY,
    request_id  bigint      NOT NULL UNIQUE REFERENCES guest_request (id),
    allocated   timestamptz NOT NULL
);

CREATE TABLE guest_log (
    id          bigserial   PRIMARY KEY,
    request_id  bigint      NOT NULL REFERENCES guest_request (id),
    at          timestamptz NOT NULL,
    step        text        NOT NULL,
    outcome     text        NOT NULL,
    detail      text        NOT NULL,
    instance    text        NOT NULL,
    CONSTRAINT guest_log_outcome_known CHECK (outcome IN ('STARTED', 'DONE', 'RETRY', 'FAILED', 'NOTE'))
);
CREATE INDEX guest_log_by_request ON guest_log (request_id, id);

-- The differences the last reconciliation found between Berth's records and the hypervisor.
-- request_id has no foreign key: a Berth-tagged guest may name a request Berth does not have.
CREATE TABLE reconciliation_finding (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL,
    request_id  bigint,
    node        text,
    vmid        integer,
    detail      text        NOT NULL,
    found       timestamptz NOT NULL,
    CONSTRAINT reconciliation_finding_kind_known CHECK (kind IN ('MISSING', 'UNKNOWN', 'MOVED', 'STILL_RUNNING'))
);

CREATE TABLE reconciliation_run (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    guests      integer     NOT NULL,
    findings    integer     NOT NULL,
    error       text
);

-- VM templates are cloned in full unless the template says a linked clone will do.
ALTER TABLE template ADD COLUMN full_clone boolean NOT NULL DEFAULT true;
