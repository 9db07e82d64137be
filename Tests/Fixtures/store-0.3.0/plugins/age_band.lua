return { api = 1, kind = "criterion", name = "age_band", version = "1", description = "d", uses = {"age"},
  assign = function(row, p) if row.age == nil then return nil end; if row.age < 40 then return "Young" end; return "Older" end }
