-- billing: the billing cycle (the `billing` column).
return {
  api = 1,
  kind = "criterion",
  name = "billing",
  version = "1.0.0",
  description = "Monthly or Annual billing",
  uses = { "billing" },
  labels = { "Monthly", "Annual" },
  descriptions = { Monthly = "Billed monthly", Annual = "Billed yearly, at a discount" },
  assign = function(row) return row.billing end,
}
