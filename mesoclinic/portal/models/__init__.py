"""The portal's own records (each slice's models in a module of their own)."""
