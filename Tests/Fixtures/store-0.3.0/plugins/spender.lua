return { api = 1, kind = "criterion", name = "spender", version = "1", description = "d", uses = {"spend"},
  params = { cut = 50 },
  assign = function(row, p) if row.spend == nil then return nil end; if row.spend >= p.cut then return "High" end; return "Low" end }
