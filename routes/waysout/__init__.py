"""Every way out compared for one traveller: land crossings and flights from one
origin, each said to be open to them or not, with reasons, sources and an estimate."""
