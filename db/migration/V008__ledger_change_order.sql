-- Git records commit times to the second: commits pushed within one second need another order.
-- Changes are written oldest first, so the order of writing is the order of history.
ALTER TABLE ledger_change ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX ledger_change_by_time;
CREATE INDEX ledger_change_by_time ON ledger_change (host, committed_at DESC, seq DESC);
