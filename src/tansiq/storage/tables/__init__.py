"""The tables, one module a concept, on the one ``MetaData`` of ``base.py``."""
