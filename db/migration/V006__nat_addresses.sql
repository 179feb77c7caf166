-- NAT guests get an address and a MAC on the internal network when they are approved. Both are
-- kept on the request, like a ledger entry's, and are free again once the request is over
-- (address_released_at is set when it reaches DELETED, CANCELLED or REJECTED).

-- No two live NAT guests share an internal address or a MAC, whatever instance assigned them.
CREATE UNIQUE INDEX guest_request_nat_ipv4 ON guest_request ((ipv4::inet))
    WHERE network_mode = 'NAT' AND ipv4 IS NOT NULL AND address_released_at IS NULL;
CREATE UNIQUE INDEX guest_request_nat_mac ON guest_request ((lower(mac)))
    WHERE network_mode = 'NAT' AND mac IS NOT NULL AND address_released_at IS NULL;

-- A NAT guest's address and MAC come together, and it never has a ledger commit or IPv6 address.
ALTER TABLE guest_request ADD CONSTRAINT guest_request_nat_address CHECK (
    network_mode <> 'NAT'
    OR ((ipv4 IS NULL) = (mac IS NULL) AND ipv6 IS NULL AND claim_commit IS NULL));
ALTER TABLE guest_request ADD CONSTRAINT guest_request_mac_format CHECK (
    mac IS NULL OR mac ~ '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$');
