"""Console URL-matrix rows of the newer apps, one module per app (added to ``MATRIX``)."""
