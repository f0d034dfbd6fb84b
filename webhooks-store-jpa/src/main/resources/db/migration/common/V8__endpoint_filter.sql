-- An endpoint's payload filter (DESIGN 16): a CEL expression over the envelope, checked at save.
ALTER TABLE endpoints ADD COLUMN filter_expression VARCHAR(2000);
