"""Federation: this node's identity and peers, the feeds it serves, the entries it receives."""
