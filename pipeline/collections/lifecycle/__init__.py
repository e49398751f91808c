"""A proposal's life: `new` (from its process's template) and `status` (changed in place)."""
