"""Cost models: cost relations (``costs``), the terrestrial baseline (``ground``) and the orbital
fleet (``space``). The closure calls them; they import only physics constants."""
