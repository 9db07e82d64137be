-- Cases for order_value (run: seg plugins test plugins order_value). Defaults: AOV bounds 25, 75, 150.
-- The fixture (one row, every field missing) is what `prepare` sees: this plugin ignores statistics, and it keeps
-- the cases whose numbers are written as text from mixing types in the other cases' columns.
return {
  fixture = { {} },
  cases = {
  { name = "AOV 20", row = { frequency = 5, monetary = 100 }, label = "Low AOV" },
  { name = "AOV exactly 25 is mid", row = { frequency = 4, monetary = 100 }, label = "Mid AOV" },
  { name = "AOV 74.99 is mid", row = { frequency = 1, monetary = 74.99 }, label = "Mid AOV" },
  { name = "AOV exactly 75 is high", row = { frequency = 2, monetary = 150 }, label = "High AOV" },
  { name = "AOV exactly 150 is premium", row = { frequency = 1, monetary = 150.0 }, label = "Premium AOV" },
  { name = "negative monetary is low", row = { frequency = 1, monetary = -10 }, label = "Low AOV" },
  { name = "missing monetary", row = { frequency = 3 }, label = "No orders" },
  { name = "missing frequency", row = { monetary = 30 }, label = "No orders" },
  { name = "zero orders", row = { frequency = 0, monetary = 0 }, label = "No orders" },
  { name = "no orders unassigned", row = {}, params = { none_label = "" }, none = true },
  { name = "custom bands", row = { frequency = 2, monetary = 90 }, params = { bounds = { 40 }, labels = { "Small", "Big" } },
    label = "Big" },
  { name = "negative frequency", row = { frequency = -2, monetary = 10 }, error = "frequency -2 is negative" },
  { name = "numbers as text", row = { frequency = "2", monetary = "100.0" }, label = "Mid AOV" },
  { name = "NaN text is not a number", row = { frequency = 2, monetary = "NaN" }, error = "order_value: monetary must be a number, got text 'NaN'" },
  { name = "hexadecimal text is not a number", row = { frequency = "0x10", monetary = 5 }, error = "frequency must be a number, got text '0x10'" },
  },
}
