-- One segment for every customer: the fixture looks at the rows, not at segments.
return {
  api = 1, kind = "criterion", name = "everyone", version = "1.0.0",
  description = "Every customer in one segment",
  uses = {},
  labels = { "everyone" },
  assign = function(row, p) return "everyone" end,
}
