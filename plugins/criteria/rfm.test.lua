-- Cases for rfm (run: seg plugins test plugins rfm). Format: docs/PLUGINS.md, "Testing plugins".
-- prepare sees 11 customers with recency 0, 10 .. 100, frequency 0 .. 10 and monetary 0, 100 .. 1000, so the
-- quintile breakpoints are recency 20/40/60/80, frequency 2/4/6/8, monetary 200/400/600/800.
local fixture = {}
for i = 0, 10 do
  fixture[#fixture + 1] = { recency_days = i * 10, frequency = i, monetary = i * 100 }
end

return {
  fixture = fixture,
  cases = {
    { name = "R5 F5 is Champions", row = { recency_days = 5, frequency = 9, monetary = 50 }, label = "Champions" },
    { name = "a value on a breakpoint takes the lower score (F=8 is F4)",
      row = { recency_days = 20, frequency = 8, monetary = 50 }, label = "Champions" },
    { name = "a recency on a breakpoint takes the higher score (R=20 is R5, R=21 is R4)",
      row = { recency_days = 21, frequency = 8, monetary = 50 }, label = "Loyal" },
    { name = "R5 F1 is New", row = { recency_days = 0, frequency = 1, monetary = 50 }, label = "New" },
    { name = "R4 F1 is Promising", row = { recency_days = 30, frequency = 2, monetary = 50 }, label = "Promising" },
    { name = "R3 F3 is Need Attention", row = { recency_days = 50, frequency = 5, monetary = 50 }, label = "Need Attention" },
    { name = "R2 F3 is At Risk", row = { recency_days = 70, frequency = 5, monetary = 50 }, label = "At Risk" },
    { name = "R1 F5 is Cannot Lose Them", row = { recency_days = 100, frequency = 10, monetary = 50 },
      label = "Cannot Lose Them" },
    { name = "R1 F1 is Lost", row = { recency_days = 100, frequency = 1, monetary = 50 }, label = "Lost" },
    { name = "frequency 0 is No Purchase", row = { recency_days = 5, frequency = 0, monetary = 0 }, label = "No Purchase" },
    { name = "missing recency is No Purchase", row = { frequency = 3, monetary = 10 }, label = "No Purchase" },
    { name = "missing frequency is No Purchase", row = { recency_days = 3 }, label = "No Purchase" },
    { name = "no_purchase_label '' leaves them unassigned", row = { frequency = 0, recency_days = 1 },
      params = { no_purchase_label = "" }, none = true },
    { name = "mode scores gives the cell", row = { recency_days = 20, frequency = 9, monetary = 800 },
      params = { mode = "scores" }, label = "R5 F5 M4" },
    { name = "mode scores: missing monetary is unassigned", row = { recency_days = 20, frequency = 9 },
      params = { mode = "scores" }, none = true },
    { name = "mode scores: no purchase still labelled", row = { frequency = 0, recency_days = 1 },
      params = { mode = "scores" }, label = "No Purchase" },
    { name = "an unknown mode is refused by prepare", row = { recency_days = 1, frequency = 1 },
      params = { mode = "grid" }, error = 'mode must be "segment" or "scores", got "grid"' },
    { name = "ties: all customers equal make every breakpoint equal",
      fixture = { { recency_days = 10, frequency = 3, monetary = 5 }, { recency_days = 10, frequency = 3, monetary = 5 } },
      row = { recency_days = 10, frequency = 3, monetary = 5 }, label = "New" },
    { name = "ties: just above the tied value is F5",
      fixture = { { recency_days = 10, frequency = 3, monetary = 5 }, { recency_days = 10, frequency = 3, monetary = 5 } },
      row = { recency_days = 10, frequency = 4, monetary = 5 }, label = "Champions" },
    { name = "a column with no values gives no breakpoints (everyone R1 F1)",
      fixture = { {}, {} }, row = { recency_days = 1, frequency = 50, monetary = 5 }, label = "Lost" },
    { name = "numbers as text", row = { recency_days = "5", frequency = "9", monetary = "50" }, label = "Champions" },
    { name = "a recency that is not a number", row = { recency_days = "recent", frequency = 9 },
      error = "rfm: recency_days must be a number, got text 'recent'" },
    { name = "a text column: prepare names a value", row = { recency_days = 1, frequency = 1 }, fixture = { { recency_days = 1, frequency = 1, monetary = "abc" }, { recency_days = 2, frequency = 2, monetary = "3" } },
      error = "rfm: monetary must be a number, but its column was read as text (e.g. 'abc')" },
  },
}
