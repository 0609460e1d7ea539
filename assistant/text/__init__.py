"""Chinese text utilities every layer uses: numbers and quantities, heading numerals, proper names,
list markers and text decoding. Nothing here imports from assistant beyond schema and errors."""
