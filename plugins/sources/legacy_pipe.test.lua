-- Cases for legacy_pipe (run: seg plugins test plugins legacy_pipe). Format: docs/PLUGINS.md, "Testing plugins".
-- Paths in params are inside this file's folder (the fixtures are in sources/fixtures/).
local function file(name) return { file = "fixtures/" .. name } end

return {
  { name = "comments, blank lines, trimming, empty fields, 7.0", params = file("legacy_survey.txt"),
    records = {
      { customer_id = "C001", nps_score = 9, survey_date = "2023-01-05" },
      { customer_id = "C002" },
      { customer_id = "C003", nps_score = 7, survey_date = "2024-02-29" },
      { customer_id = "C004", nps_score = 0, survey_date = "2022-12-01" },
    } },
  { name = "byte order mark, CRLF, header in capitals", params = file("legacy_bom_crlf.txt"),
    records = { { customer_id = "C010", nps_score = 10, survey_date = "2020-02-01" } } },
  { name = "a short line names its line", params = file("legacy_short_line.txt"),
    error = "legacy_pipe: line 3: expected 3 fields, got 2" },
  { name = "a fractional score is an error", params = file("legacy_fraction.txt"),
    error = "line 2: nps_score '7.5' is not a whole number" },
  { name = "29 February outside a leap year", params = file("legacy_bad_date.txt"),
    error = "line 2: survey_date '29/02/2023' is not a valid DD/MM/YYYY date" },
  { name = "an empty customer_id", params = file("legacy_empty_id.txt"), error = "line 2: customer_id is empty" },
  { name = "no header line", params = file("legacy_no_header.txt"),
    error = "fixtures/legacy_no_header.txt has no header line" },
  { name = "a wrong header", params = file("legacy_bad_header.txt"),
    error = "line 1: expected the header customer_id|nps_score|survey_date, got id|score|date" },
  { name = "a file outside the folder is refused", params = { file = "../lib/segutil.lua" }, error = "'..' is not allowed in paths" },
}
