"""The house: what the example summaries teach, learnt from them rather than written by hand.

`layout` reads one example into its parts (opening, result themes with their items, problems, plans,
closing); `frames` learns the frame of its headings; `grouping` groups this year's results the way the
examples group theirs; `formulas` adapts an example's opening and closing to another unit; `profile` puts
the examples a request prefers in order (the user's own first). Nothing here imports a model or the index.
"""
