-- A request's guest is a node and a VMID, and the VMID is a number: stored as one, in the range
-- Proxmox VE gives guests.
ALTER TABLE guest_request RENAME COLUMN guest_ref TO guest_vmid;
ALTER TABLE guest_request ALTER COLUMN guest_vmid TYPE integer USING guest_vmid::integer;
ALTER TABLE guest_request ADD CONSTRAINT guest_request_vmid_range
    CHECK (guest_vmid IS NULL OR guest_vmid BETWEEN 100 AND 999999999);
ALTER TABLE guest_request ADD CONSTRAINT guest_request_guest_whole
    CHECK ((guest_vmid IS NULL) = (guest_node IS NULL));

-- MACs are written in one spelling, lower case and colon-separated, as the ledger index has them.
UPDATE guest_request SET mac = lower(mac) WHERE mac IS NOT NULL AND mac <> lower(mac);
