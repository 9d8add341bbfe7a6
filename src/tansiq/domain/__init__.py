"""Pure domain rules: records, enums, validation, releasability. No I/O here."""
