"""Console pages of procurement, one module per concept (resellers, partner lists, quotes)."""
