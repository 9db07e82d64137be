-- Cases for phone_e164 (run: seg plugins test plugins phone_e164). Format: docs/PLUGINS.md, "Testing plugins".
-- Defaults: default_country "44", trunk_prefix "0", international_prefix "00", min_digits 8, invalid "missing".
local us = { default_country = "1", trunk_prefix = "1", international_prefix = "011" }

return {
  { name = "national number with trunk prefix", row = { phone = "07700 900123" }, cleaned = { phone = "+447700900123" } },
  { name = "punctuation is dropped", row = { phone = "(0)20-7946 0018" }, cleaned = { phone = "+442079460018" } },
  { name = "already international", row = { phone = "+44 7700 900123" }, cleaned = { phone = "+447700900123" } },
  { name = "international prefix 00", row = { phone = "0044 7700 900123" }, cleaned = { phone = "+447700900123" } },
  { name = "no trunk prefix: country added", row = { phone = "7700.900.123" }, cleaned = { phone = "+447700900123" } },
  { name = "extension 'ext. 12' cut off", row = { phone = "020 7946 0018 ext. 12" }, cleaned = { phone = "+442079460018" } },
  { name = "extension 'x12' cut off", row = { phone = "020 7946 0018x12" }, cleaned = { phone = "+442079460018" } },
  { name = "letters make it missing", row = { phone = "n/a" }, cleaned = {} },
  { name = "too short makes it missing", row = { phone = "0123" }, cleaned = {} },
  { name = "exactly min_digits is kept", row = { phone = "+1234 5678" }, cleaned = { phone = "+12345678" } },
  { name = "more than 15 digits makes it missing", row = { phone = "+1234 5678 9012 3456" }, cleaned = {} },
  { name = "a missing phone stays missing", row = {}, cleaned = {} },
  { name = "invalid = drop drops the row", row = { phone = "call me" }, params = { invalid = "drop" }, dropped = true },
  { name = "invalid = drop keeps a good number", row = { phone = "07700 900123" }, params = { invalid = "drop" },
    cleaned = { phone = "+447700900123" } },
  { name = "invalid = keep leaves it as it was", row = { phone = "call me" }, params = { invalid = "keep" },
    cleaned = { phone = "call me" } },
  { name = "North America: trunk prefix 1", row = { phone = "1 (212) 555-0100" }, params = us,
    cleaned = { phone = "+12125550100" } },
  { name = "North America: international prefix 011", row = { phone = "011 44 20 7946 0018" }, params = us,
    cleaned = { phone = "+442079460018" } },
  { name = "default_country must not start with 0", row = { phone = "1" }, params = { default_country = "044" },
    error = "default_country must be 1 to 3 digits not starting with 0, got 044" },
  { name = "an unknown invalid mode is refused", row = { phone = "1" }, params = { invalid = "ignore" },
    error = 'invalid must be "missing", "drop" or "keep", got ignore' },
  { name = "min_digits above 15 is refused", row = { phone = "1" }, params = { min_digits = 16 },
    error = "min_digits must be a whole number from 1 to 15, got 16" },
}
