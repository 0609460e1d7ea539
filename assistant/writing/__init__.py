"""Turning facts into text: the template writer, the prompt files (package data) and their rendering,
the LangChain prompt → model chain, outline-text helpers and the cleaning of a model's raw text."""
