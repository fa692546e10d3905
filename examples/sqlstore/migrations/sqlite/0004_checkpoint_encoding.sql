-- Checkpoint states may be stored compressed: state_encoding 0 is the
-- engine's bytes as given, 1 their raw DEFLATE (RFC 1951).
ALTER TABLE checkpoints ADD COLUMN state_encoding INTEGER NOT NULL DEFAULT 0 CHECK (state_encoding IN (0, 1));
