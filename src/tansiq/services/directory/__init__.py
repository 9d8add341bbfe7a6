"""Parties and centers: who takes part, and which bodies they sit on."""
