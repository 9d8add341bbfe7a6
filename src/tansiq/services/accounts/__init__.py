"""Users, API tokens and web sessions: who may act, and as whom."""
