-- Cases for csat (run: seg plugins test plugins csat). Defaults: 1-5 scale, Satisfied >= 4, Dissatisfied <= 2.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "5 is satisfied", row = { csat_score = 5 }, label = "Satisfied" },
  { name = "4 is satisfied", row = { csat_score = 4 }, label = "Satisfied" },
  { name = "3 is neutral", row = { csat_score = 3 }, label = "Neutral" },
  { name = "3.5 is neutral", row = { csat_score = 3.5 }, label = "Neutral" },
  { name = "2 is dissatisfied", row = { csat_score = 2 }, label = "Dissatisfied" },
  { name = "1 is dissatisfied", row = { csat_score = 1 }, label = "Dissatisfied" },
  { name = "no answer is unassigned", row = {}, none = true },
  { name = "0 is outside the scale", row = { csat_score = 0 }, error = "csat_score 0 is outside 1-5" },
  { name = "6 is outside the scale", row = { csat_score = 6 }, error = "csat_score 6 is outside 1-5" },
  { name = "a 1-7 scale", row = { csat_score = 6 }, params = { scale_max = 7, satisfied_min = 6, dissatisfied_max = 3 },
    label = "Satisfied" },
  { name = "thresholds must be ordered", row = { csat_score = 3 }, params = { dissatisfied_max = 4 },
    error = "need 1 <= dissatisfied_max < satisfied_min <= scale_max" },
  { name = "score as text", row = { csat_score = "4.5" }, label = "Satisfied" },
  { name = "score that is not a number", row = { csat_score = "abc" }, error = "csat: csat_score must be a number, got text 'abc'; clean that value, or declare the column double" },
  { name = "a decimal comma is not a number", row = { csat_score = "3,5" }, error = "csat_score must be a number, got text '3,5'" },
  },
}
