"""The journal: hash-chained, Ed25519-signed record of every change."""
