-- How many snapshots each guest made from a template may keep at once; 0 offers none.
ALTER TABLE template
    ADD COLUMN max_snapshots integer NOT NULL DEFAULT 3,
    ADD CONSTRAINT template_max_snapshots CHECK (max_snapshots BETWEEN 0 AND 20);
