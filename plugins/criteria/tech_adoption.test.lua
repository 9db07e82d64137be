-- Cases for tech_adoption (run: seg plugins test plugins tech_adoption).
-- Defaults: digital_min_share 0.8, app_digital_min_share 0.5, offline_max_share 0.2.
return {
  { name = "share exactly 0.8 is digital-first", row = { online_orders = 4, store_orders = 1, app_user = false },
    label = "Digital-first" },
  { name = "share 0.75 without app is omnichannel", row = { online_orders = 3, store_orders = 1 },
    label = "Omnichannel" },
  { name = "share exactly 0.5 with app is digital-first", row = { online_orders = 2, store_orders = 2, app_user = true },
    label = "Digital-first" },
  { name = "share 0.4 with app is omnichannel", row = { online_orders = 2, store_orders = 3, app_user = true },
    label = "Omnichannel" },
  { name = "share exactly 0.2 without app is offline", row = { online_orders = 1, store_orders = 4 },
    label = "Offline" },
  { name = "store only but app user is omnichannel", row = { online_orders = 0, store_orders = 4, app_user = true },
    label = "Omnichannel" },
  { name = "missing app_user is not an app user", row = { online_orders = 0, store_orders = 3 }, label = "Offline" },
  { name = "missing store count reads as 0", row = { online_orders = 1 }, label = "Digital-first" },
  { name = "no orders", row = { app_user = true }, label = "No orders" },
  { name = "no orders unassigned", row = { online_orders = 0, store_orders = 0 }, params = { none_label = "" },
    none = true },
  { name = "thresholds must be ordered", row = { online_orders = 1 }, params = { offline_max_share = 0.6 },
    error = "need 0 <= offline_max_share < app_digital_min_share" },
  { name = "negative count", row = { online_orders = 1, store_orders = -1 }, error = "order counts must be 0 or more" },
}
