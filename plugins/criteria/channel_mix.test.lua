-- Cases for channel_mix (run: seg plugins test plugins channel_mix). Default mostly_share = 0.7.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "online only", row = { online_orders = 3, store_orders = 0 }, label = "Online only" },
  { name = "store only", row = { online_orders = 0, store_orders = 2 }, label = "Store only" },
  { name = "missing store count reads as 0", row = { online_orders = 2 }, label = "Online only" },
  { name = "share exactly 0.7 is mostly online", row = { online_orders = 7, store_orders = 3 }, label = "Mostly online" },
  { name = "share 0.6 is mixed", row = { online_orders = 3, store_orders = 2 }, label = "Mixed" },
  { name = "share exactly 0.5 is mixed", row = { online_orders = 1, store_orders = 1 }, label = "Mixed" },
  { name = "share 0.25 is mostly store", row = { online_orders = 1, store_orders = 3 }, label = "Mostly store" },
  { name = "no orders", row = { online_orders = 0, store_orders = 0 }, label = "No orders" },
  { name = "no orders unassigned", row = { online_orders = 0 }, params = { none_label = "" }, none = true },
  { name = "both missing is unassigned", row = {}, none = true },
  { name = "mostly_share 0.6", row = { online_orders = 3, store_orders = 2 }, params = { mostly_share = 0.6 },
    label = "Mostly online" },
  { name = "bad mostly_share", row = { online_orders = 1 }, params = { mostly_share = 0.5 },
    error = "mostly_share must be above 0.5" },
  { name = "negative count", row = { online_orders = -1, store_orders = 1 }, error = "order counts must be 0 or more" },
  { name = "counts as text", row = { online_orders = "3", store_orders = "0" }, label = "Online only" },
  { name = "a count that is not a number", row = { online_orders = 1, store_orders = "n/a" }, error = "channel_mix: store_orders must be a number, got text 'n/a'" },
  },
}
