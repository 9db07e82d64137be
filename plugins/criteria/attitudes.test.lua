-- Cases for attitudes (run: seg plugins test plugins attitudes).
-- Defaults: Price-conscious = likert_1, likert_2; Quality-seeker = likert_3, likert_4; Eco-minded = likert_5, likert_6;
-- 1-5 scale, agree_min 4.0, min_answered_share 0.5.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "highest mean wins", row = { likert_1 = 2, likert_2 = 3, likert_3 = 5, likert_4 = 4, likert_5 = 4, likert_6 = 3 },
    label = "Quality-seeker" },
  { name = "exactly agree_min qualifies", row = { likert_1 = 4, likert_2 = 4, likert_3 = 3, likert_4 = 3, likert_5 = 1, likert_6 = 1 },
    label = "Price-conscious" },
  { name = "below agree_min everywhere is neutral",
    row = { likert_1 = 4, likert_2 = 3, likert_3 = 3, likert_4 = 3, likert_5 = 3, likert_6 = 4 },
    label = "No strong attitude" },
  { name = "tie goes to the dimension listed first",
    row = { likert_1 = 3, likert_2 = 3, likert_3 = 5, likert_4 = 4, likert_5 = 4, likert_6 = 5 },
    label = "Quality-seeker" },
  { name = "mean of answered items only (one of two answered)", row = { likert_1 = 2, likert_2 = 2, likert_5 = 5 },
    label = "Eco-minded" },
  { name = "min_answered_share 1 needs every item", row = { likert_1 = 4, likert_2 = 4, likert_5 = 5 },
    params = { min_answered_share = 1.0 }, label = "Price-conscious" },
  { name = "all missing is unassigned", row = {}, none = true },
  { name = "too few answers everywhere is unassigned", row = { likert_1 = 5 }, params = { min_answered_share = 1.0 },
    none = true },
  { name = "reverse-coded item", row = { likert_1 = 5, likert_2 = 1, likert_3 = 3, likert_4 = 3 },
    params = { reverse = { "likert_2" } }, label = "Price-conscious" },
  { name = "custom dimensions", row = { likert_1 = 5, likert_2 = 1, likert_3 = 1 },
    params = { dimensions = { { label = "Bargain hunter", items = { "likert_1" } },
      { label = "Brand loyal", items = { "likert_2", "likert_3" } } } }, label = "Bargain hunter" },
  { name = "an answer outside the scale", row = { likert_3 = 6 }, error = "likert_3 is 6, outside 1-5" },
  { name = "an unknown item", row = { likert_1 = 3 }, params = { dimensions = { { label = "X", items = { "q1" } } } },
    error = "names item 'q1'" },
  { name = "an item in two dimensions", row = { likert_1 = 3 },
    params = { dimensions = { { label = "X", items = { "likert_1" } }, { label = "Y", items = { "likert_1" } } } },
    error = "belongs to two dimensions" },
  { name = "answers as text", row = { likert_3 = "5", likert_4 = "4" }, label = "Quality-seeker" },
  { name = "an answer that is not a number", row = { likert_3 = "agree" }, error = "attitudes: likert_3 must be a number, got text 'agree'" },
  },
}
