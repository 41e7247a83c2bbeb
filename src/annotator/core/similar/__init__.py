"""Find similar passages and lines, and suggest themes, from embeddings computed on this machine."""
