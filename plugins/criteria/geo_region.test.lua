-- Cases for geo_region (run: seg plugins test plugins geo_region). Table: plugins/lib/geo_regions.lua (UN M49).
-- ISO 3166-1 English short names and UN M49 names that differ from the common spelling: each must be recognised.
local OFFICIAL = {
  { "Viet Nam", "South-eastern Asia" },  -- VN
  { "Türkiye", "Western Asia" },  -- TR
  { "Côte d'Ivoire", "Western Africa" },  -- CI
  { "Lao People's Democratic Republic", "South-eastern Asia" },  -- LA
  { "Korea, Republic of", "Eastern Asia" },  -- KR
  { "Korea, Democratic People's Republic of", "Eastern Asia" },  -- KP
  { "Iran, Islamic Republic of", "Southern Asia" },  -- IR
  { "Congo, The Democratic Republic of the", "Middle Africa" },  -- CD
  { "Congo", "Middle Africa" },  -- CG
  { "Micronesia, Federated States of", "Micronesia" },  -- FM
  { "Moldova, Republic of", "Eastern Europe" },  -- MD
  { "Tanzania, United Republic of", "Eastern Africa" },  -- TZ
  { "Bolivia, Plurinational State of", "South America" },  -- BO
  { "Venezuela, Bolivarian Republic of", "South America" },  -- VE
  { "Taiwan, Province of China", "Eastern Asia" },  -- TW
  { "Palestine, State of", "Western Asia" },  -- PS
  { "Virgin Islands, British", "Caribbean" },  -- VG
  { "Virgin Islands, U.S.", "Caribbean" },  -- VI
  { "Holy See (Vatican City State)", "Southern Europe" },  -- VA
  { "Syrian Arab Republic", "Western Asia" },  -- SY
  { "Russian Federation", "Eastern Europe" },  -- RU
  { "Czechia", "Eastern Europe" },  -- CZ
  { "Cabo Verde", "Western Africa" },  -- CV
  { "Eswatini", "Southern Africa" },  -- SZ
  { "North Macedonia", "Southern Europe" },  -- MK
  { "Netherlands, Kingdom of the", "Western Europe" },  -- NL
  { "Saint Helena, Ascension and Tristan da Cunha", "Western Africa" },  -- SH
  { "Bonaire, Sint Eustatius and Saba", "Caribbean" },  -- BQ
  { "Brunei Darussalam", "South-eastern Asia" },  -- BN
  { "Falkland Islands (Malvinas)", "South America" },  -- FK
  { "Hong Kong", "Eastern Asia" },  -- HK
  { "Macao", "Eastern Asia" },  -- MO
  { "United Kingdom of Great Britain and Northern Ireland", "Northern Europe" },  -- GB
  { "United States of America", "Northern America" },  -- US
  { "United States Minor Outlying Islands", "Micronesia" },  -- UM
  { "Saint Martin (French part)", "Caribbean" },  -- MF
  { "Sint Maarten (Dutch part)", "Caribbean" },  -- SX
  { "Saint Barthélemy", "Caribbean" },  -- BL
  { "Réunion", "Eastern Africa" },  -- RE
  { "Curaçao", "Caribbean" },  -- CW
  { "Åland Islands", "Northern Europe" },  -- AX
  { "Heard Island and McDonald Islands", "Australia and New Zealand" },  -- HM
  { "South Georgia and the South Sandwich Islands", "South America" },  -- GS
  { "French Southern Territories", "Eastern Africa" },  -- TF
  { "British Indian Ocean Territory", "Eastern Africa" },  -- IO
  { "Svalbard and Jan Mayen", "Northern Europe" },  -- SJ
  { "Wallis and Futuna", "Polynesia" },  -- WF
  { "Saint Pierre and Miquelon", "Northern America" },  -- PM
  { "Saint Vincent and the Grenadines", "Caribbean" },  -- VC
  { "Saint Kitts and Nevis", "Caribbean" },  -- KN
  { "Saint Lucia", "Caribbean" },  -- LC
  { "Turks and Caicos Islands", "Caribbean" },  -- TC
  { "Timor-Leste", "South-eastern Asia" },  -- TL
  { "Myanmar", "South-eastern Asia" },  -- MM
  { "Gambia", "Western Africa" },  -- GM
  { "Bahamas", "Caribbean" },  -- BS
  { "Comoros", "Eastern Africa" },  -- KM
  { "Dominican Republic", "Caribbean" },  -- DO
  { "Central African Republic", "Middle Africa" },  -- CF
  { "Philippines", "South-eastern Asia" },  -- PH
  { "Niger", "Western Africa" },  -- NE
  { "Sudan", "Northern Africa" },  -- SD
  { "Marshall Islands", "Micronesia" },  -- MH
  { "Northern Mariana Islands", "Micronesia" },  -- MP
  { "Cocos (Keeling) Islands", "Australia and New Zealand" },  -- CC
  { "Pitcairn", "Polynesia" },  -- PN
  { "Western Sahara", "Northern Africa" },  -- EH
  { "Libya", "Northern Africa" },  -- LY
  { "Guinea-Bissau", "Western Africa" },  -- GW
  { "Sao Tome and Principe", "Middle Africa" },  -- ST
  { "Equatorial Guinea", "Middle Africa" },  -- GQ
  { "Bosnia and Herzegovina", "Southern Europe" },  -- BA
  { "Trinidad and Tobago", "Caribbean" },  -- TT
  { "Antigua and Barbuda", "Caribbean" },  -- AG
  { "United Arab Emirates", "Western Asia" },  -- AE
  { "Papua New Guinea", "Melanesia" },  -- PG
  { "Solomon Islands", "Melanesia" },  -- SB
  { "New Caledonia", "Melanesia" },  -- NC
  { "French Polynesia", "Polynesia" },  -- PF
  { "Norfolk Island", "Australia and New Zealand" },  -- NF
  { "Christmas Island", "Australia and New Zealand" },  -- CX
  { "Faroe Islands", "Northern Europe" },  -- FO
  { "Isle of Man", "Northern Europe" },  -- IM
  { "Jersey", "Northern Europe" },  -- JE
  { "Guernsey", "Northern Europe" },  -- GG
  { "Gibraltar", "Southern Europe" },  -- GI
  { "Greenland", "Northern America" },  -- GL
  { "Mayotte", "Eastern Africa" },  -- YT
  { "Martinique", "Caribbean" },  -- MQ
  { "Guadeloupe", "Caribbean" },  -- GP
  { "French Guiana", "South America" },  -- GF
  { "Montserrat", "Caribbean" },  -- MS
  { "Anguilla", "Caribbean" },  -- AI
  { "Bouvet Island", "South America" },  -- BV
  { "Kazakhstan", "Central Asia" },  -- KZ
  { "Kyrgyzstan", "Central Asia" },  -- KG
  { "Bolivia (Plurinational State of)", "South America" },  -- BO
  { "Venezuela (Bolivarian Republic of)", "South America" },  -- VE
  { "Iran (Islamic Republic of)", "Southern Asia" },  -- IR
  { "Republic of Korea", "Eastern Asia" },  -- KR
  { "Democratic People's Republic of Korea", "Eastern Asia" },  -- KP
  { "Republic of Moldova", "Eastern Europe" },  -- MD
  { "United Republic of Tanzania", "Eastern Africa" },  -- TZ
  { "Democratic Republic of the Congo", "Middle Africa" },  -- CD
  { "China, Hong Kong Special Administrative Region", "Eastern Asia" },  -- HK
  { "China, Macao Special Administrative Region", "Eastern Asia" },  -- MO
  { "State of Palestine", "Western Asia" },  -- PS
  { "Micronesia (Federated States of)", "Micronesia" },  -- FM
  { "Netherlands (Kingdom of the)", "Western Europe" },  -- NL
  { "United States Virgin Islands", "Caribbean" },  -- VI
  { "British Virgin Islands", "Caribbean" },  -- VG
  { "Saint Helena", "Western Africa" },  -- SH
  { "Kosovo", "Southern Europe" },  -- XK
}

local cases = {
  { name = "alpha-2 code", row = { country = "DE" }, label = "Europe" },
  { name = "lower case and spaces", row = { country = "  fr " }, label = "Europe" },
  { name = "alpha-3 code", row = { country = "JPN" }, label = "Asia" },
  { name = "short name", row = { country = "Brazil" }, label = "Americas" },
  { name = "official name", row = { country = "Federal Republic of Germany" }, label = "Europe" },
  { name = "alias UK", row = { country = "UK" }, label = "Europe" },
  { name = "alias USA", row = { country = "usa" }, label = "Americas" },
  { name = "Australia is Oceania", row = { country = "AU" }, label = "Oceania" },
  { name = "Egypt is Africa", row = { country = "EG" }, label = "Africa" },
  { name = "subregion level: GB", row = { country = "GB" }, params = { level = "subregion" },
    label = "Northern Europe" },
  { name = "subregion level: Mexico", row = { country = "MX" }, params = { level = "subregion" },
    label = "Central America" },
  { name = "subregion level: Turkey is Western Asia", row = { country = "Turkey" },
    params = { level = "subregion" }, label = "Western Asia" },
  { name = "unknown country", row = { country = "Atlantis" }, label = "Unknown region" },
  { name = "unknown country unassigned", row = { country = "ZZ" }, params = { unknown_label = "" }, none = true },
  { name = "missing country is unassigned", row = {}, none = true },
  { name = "override by code", row = { country = "AT" }, params = { overrides = { DE = "DACH", AT = "DACH" } },
    label = "DACH" },
  { name = "override applies to names too", row = { country = "Germany" },
    params = { overrides = { DE = "DACH" } }, label = "DACH" },
  { name = "override leaves other countries", row = { country = "FR" }, params = { overrides = { DE = "DACH" } },
    label = "Europe" },
  { name = "bad level", row = { country = "DE" }, params = { level = "continent" },
    error = "level must be \"region\" or \"subregion\"" },
  { name = "bad override key", row = { country = "DE" }, params = { overrides = { Germany = "DACH" } },
    error = "overrides must map upper-case alpha-2 codes" },
  { name = "ISO name Viet Nam", row = { country = "Viet Nam" }, params = { level = "subregion" },
    label = "South-eastern Asia" },
  { name = "upper case beyond ASCII: TÜRKIYE", row = { country = "TÜRKIYE" }, params = { level = "subregion" },
    label = "Western Asia" },
  { name = "upper case beyond ASCII: CÔTE D'IVOIRE", row = { country = "CÔTE D'IVOIRE" },
    params = { level = "subregion" }, label = "Western Africa" },
  { name = "typographic apostrophe: Côte d’Ivoire", row = { country = "Côte d’Ivoire" },
    params = { level = "subregion" }, label = "Western Africa" },
  { name = "left quote as apostrophe", row = { country = "Lao People‘s Democratic Republic" },
    params = { level = "subregion" }, label = "South-eastern Asia" },
  { name = "ISO name with a comma", row = { country = "Korea, Republic of" }, params = { level = "subregion" },
    label = "Eastern Asia" },
  { name = "dots in an abbreviation: U.S.", row = { country = "U.S." }, label = "Americas" },
  { name = "dots in an abbreviation: U.K.", row = { country = "U.K." }, params = { level = "subregion" },
    label = "Northern Europe" },
  { name = "dots: U.S.A.", row = { country = "U.S.A." }, label = "Americas" },
  { name = "extra spaces inside", row = { country = "United   Arab  Emirates" }, label = "Asia" },
  { name = "Congo is the Republic of the Congo", row = { country = "Congo" }, params = { level = "subregion" },
    label = "Middle Africa" },
  { name = "NA is a missing value", row = { country = "NA" }, none = true },
  { name = "na in lower case is missing too", row = { country = " na " }, none = true },
  { name = "N/A is missing", row = { country = "N/A" }, none = true },
  { name = "NA is Namibia when asked", row = { country = "NA" }, params = { na_is_namibia = true, level = "subregion" },
    label = "Southern Africa" },
  { name = "NAM and Namibia are always Namibia", row = { country = "NAM" }, params = { level = "subregion" },
    label = "Southern Africa" },
  { name = "blank country is missing", row = { country = "  " }, none = true },
}
for _, o in ipairs(OFFICIAL) do
  cases[#cases + 1] = { name = "official spelling: " .. o[1], row = { country = o[1] }, params = { level = "subregion" },
    label = o[2] }
  cases[#cases + 1] = { name = "official spelling in capitals: " .. o[1], row = { country = o[1]:upper() },
    params = { level = "subregion" }, label = o[2] }
end
return cases
