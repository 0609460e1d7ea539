"""Embedding, storage (Chroma), lexical index and hybrid retrieval of house-example chunks."""
