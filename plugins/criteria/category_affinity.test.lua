-- Cases for category_affinity (run: seg plugins test plugins category_affinity).
-- Default affinity: Electronics -> Home, Sports; Fashion -> Beauty, Sports; ... owned_min_share 0.1.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "first target not bought", row = { spend_electronics = 100, spend_home = 0, spend_sports = 0 },
    label = "Electronics → Home" },
  { name = "skips a target already bought (20 of 120 >= 0.1)",
    row = { spend_electronics = 100, spend_home = 20, spend_sports = 0 }, label = "Electronics → Sports" },
  { name = "a share just below owned_min_share is not bought",
    row = { spend_electronics = 91, spend_home = 9, spend_sports = 0 }, label = "Electronics → Home" },
  { name = "exactly owned_min_share is bought",
    row = { spend_electronics = 90, spend_home = 10, spend_sports = 0 }, label = "Electronics → Sports" },
  { name = "every target bought", row = { spend_electronics = 60, spend_home = 20, spend_sports = 20 },
    label = "Electronics → (none)" },
  { name = "tie on the dominant category goes to the first listed", row = { spend_fashion = 50, spend_beauty = 50 },
    label = "Fashion → Sports" },
  { name = "a target outside the categories is never bought", row = { spend_electronics = 100, spend_home = 50 },
    params = { affinity = { Electronics = { "Accessories", "Home" } } }, label = "Electronics → Accessories" },
  { name = "no affinity for the dominant category", row = { spend_beauty = 10 },
    params = { affinity = { Electronics = { "Home" } } }, label = "Beauty → (none)" },
  { name = "nothing spent", row = { spend_electronics = 0, spend_home = 0 }, label = "No category spend" },
  { name = "no spend data is unassigned", row = {}, none = true },
  { name = "a category cannot suggest itself", row = { spend_home = 1 }, params = { affinity = { Home = { "Home" } } },
    error = "affinity.Home[1] must name another category" },
  { name = "bad owned_min_share", row = { spend_home = 1 }, params = { owned_min_share = 0 },
    error = "owned_min_share must be above 0" },
  { name = "spend that is not a number", row = { spend_home = "-" }, error = "category_affinity: spend_home must be a number, got text '-'" },
  },
}
