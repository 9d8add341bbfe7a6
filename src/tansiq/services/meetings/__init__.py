"""Center meetings, their decisions and endorsements, action items and notes, the digest."""
