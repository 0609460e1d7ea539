"""The user's facts: parse (file, form, free paste, chat message → Facts, checked) and ledger (the facts
with their quantities, names and terms, as the guard compares a draft with them)."""
