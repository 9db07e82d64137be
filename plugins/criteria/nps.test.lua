-- Cases for nps (run: seg plugins test plugins nps). Format: docs/PLUGINS.md, "Testing plugins".
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "10 is a promoter", row = { nps_score = 10 }, label = "Promoter" },
  { name = "promoter_min (9) is a promoter", row = { nps_score = 9 }, label = "Promoter" },
  { name = "just below promoter_min is passive", row = { nps_score = 8.99 }, label = "Passive" },
  { name = "7 is passive", row = { nps_score = 7 }, label = "Passive" },
  { name = "6.5 is passive (fractions compare as numbers)", row = { nps_score = 6.5 }, label = "Passive" },
  { name = "detractor_max (6) is a detractor", row = { nps_score = 6 }, label = "Detractor" },
  { name = "0 is a detractor", row = { nps_score = 0 }, label = "Detractor" },
  { name = "no answer is unassigned", row = {}, none = true },
  { name = "above 10 is an error naming the value", row = { nps_score = 11 },
    error = "nps_score 11 is outside 0-10" },
  { name = "a fractional score outside 0-10 is an error too", row = { nps_score = 10.5 }, error = "nps_score 10.5 is outside" },
  { name = "below 0 is an error", row = { nps_score = -1 }, error = "is outside 0-10; fix or filter this row" },
  { name = "overrides move both bounds", row = { nps_score = 8 },
    params = { promoter_min = 8, detractor_max = 4 }, label = "Promoter" },
  { name = "overrides: 5 passive when detractor_max is 4", row = { nps_score = 5 },
    params = { promoter_min = 8, detractor_max = 4 }, label = "Passive" },
  { name = "prepare refuses detractor_max >= promoter_min", row = { nps_score = 5 },
    params = { promoter_min = 6, detractor_max = 6 }, error = "need 0 <= detractor_max < promoter_min <= 10" },
  { name = "prepare refuses promoter_min above 10", row = { nps_score = 5 },
    params = { promoter_min = 11 }, error = "promoter_min = 11" },
  { name = "an undeclared override is refused", row = { nps_score = 5 },
    params = { promotor_min = 8 }, error = "did you mean 'promoter_min'?" },
  { name = "score as text", row = { nps_score = "9" }, label = "Promoter" },
  { name = "score that is not a number", row = { nps_score = "ten" }, error = "nps: nps_score must be a number, got text 'ten'" },
  },
}
