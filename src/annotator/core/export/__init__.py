"""Evidence bundles and tables from a selection of passages."""
