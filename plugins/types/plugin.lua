---@meta segplugin
-- Editor definitions (lua-language-server) for the Segwork plugin contract (docs/PLUGINS.md): the table a
-- plugin file returns, and the `row`, `p`, `stats` and `src` values its functions receive. Annotate the returned
-- table to get completion and checks inside its functions:
--
--     ---@type SegCriterion
--     return { api = 1, kind = "criterion", name = "tier", ... , assign = function(row, p) ... end }
--
-- A test (PluginTypeDefinitionTests) fails when the fields here and the host's known plugin fields differ.

---A column value in `row`: integer, float, boolean, or string (dates are `"YYYY-MM-DD"`); a missing value is nil.
---@alias SegValue integer|number|boolean|string

---Plain data allowed in `params` defaults: booleans, numbers, strings and tables of those.
---@alias SegPlain boolean|number|string|table<string|integer, SegPlain>

---One customer (or, for a cleaner, one dataset row): exactly the columns listed in `uses`. Missing values are
---absent keys. The host may reuse the table between calls: read it, never keep it.
---@class SegRow
---@field [string] SegValue?

---The merged parameters: the declared defaults, then the definition's overrides, then what `prepare` returned.
---Read-only in `assign`, `score` and `clean`.
---@class SegParams
---@field [string] any

---Statistics of a numeric (integer or double) column, for `prepare`.
---@class SegNumericStats
---@field count integer rows with a value
---@field missing integer rows without a value
---@field min? number smallest value (absent when `count` is 0)
---@field max? number largest value
---@field mean? number arithmetic mean
---@field sum? number sum of the values
---@field p? table<integer, number> percentiles `p[0]`…`p[100]` (linear interpolation, numpy type 7); absent or empty when `count` is 0
---@field distinct? integer for a `pii: true` column only `count`, `missing` and `distinct` are given
---@field clusters? SegClusterModel on the cluster id column of `features.clusters` (docs/CLUSTERING.md)

---One entry of a text column's `top` list.
---@class SegTopValue
---@field value string
---@field count integer

---Statistics of a text (string or date) column, for `prepare`.
---@class SegTextStats
---@field count integer rows with a value
---@field missing integer rows without a value
---@field distinct integer number of distinct values
---@field top? SegTopValue[] at most 20 values, most frequent first, ties by value (absent for a `pii: true` column)
---@field clusters? SegClusterModel on the cluster label column of `features.clusters` (docs/CLUSTERING.md)

---One k the clustering tried.
---@class SegClusterCandidate
---@field k integer
---@field silhouette? number mean silhouette on the sample (absent for k = 1)
---@field inertia number sum of squared distances to the centres, in the scaled space

---One cluster of the fitted model.
---@class SegCluster
---@field id integer the value of the cluster id column
---@field label string the value of the label column
---@field size integer customers in it
---@field centroid table<string, number> each feature's mean over its customers, in original units (a share for `column=value`)

---The fitted clustering, as `stats.<field>.clusters` on the id and label columns during `prepare`.
---@class SegClusterModel
---@field k integer the chosen k
---@field silhouette? number its silhouette on the sample
---@field features string[] the feature names (`column` or `column=value` for one-hot columns)
---@field candidates SegClusterCandidate[] every k tried, in order
---@field clusters SegCluster[] by id

---`stats.<column>` for each column in `uses`.
---@class SegStats
---@field [string] SegNumericStats|SegTextStats

---What a source's `read(src, p)` receives.
---@class SegSrc
local SegSrc = {}

---Iterates over the lines of a file inside the workspace, each without its `"\n"` or `"\r\n"`. An absolute path,
---`..`, or a symbolic link leading outside the workspace is forbidden.
---@param relpath string a path relative to the workspace
---@return fun(): string?
function SegSrc:lines(relpath) end

---Adds one record: a table keyed by declared column names (a missing key is a missing value). Values must fit the
---declared column types.
---@param record table<string, SegValue?>
function SegSrc:emit(record) end

---One declared column of a source.
---@class SegColumn
---@field name string
---@field type "integer"|"double"|"bool"|"date"|"string"

---Fields every plugin table has.
---@class SegPlugin
---@field api integer host API level the plugin targets: `1`
---@field kind "source"|"criterion"|"scorer"|"cleaner"
---@field name string `^[a-z][a-z0-9_]*$`, equal to the file's base name
---@field version string the plugin's own version, e.g. `"1.2.0"`
---@field description string one line saying what it does
---@field params? table<string, SegPlain> parameter defaults; a definition may override only these, with the same type

---A criterion: gives each customer a segment label.
---@class SegCriterion: SegPlugin
---@field kind "criterion"
---@field uses string[] the columns it reads, each once (may be `{}`)
---@field labels? string[] the labels `assign` may return
---@field descriptions? table<string, string> a short description per declared label (at most 160 characters), shown beside the segment in reports
---@field prepare? fun(stats: SegStats, p: SegParams): table? called once before the first row; a returned table is merged into `p`
---@field assign fun(row: SegRow, p: SegParams): string? the label, or nil to leave the customer unassigned

---A scorer: gives each customer a number.
---@class SegScorer: SegPlugin
---@field kind "scorer"
---@field uses string[] the columns it reads, each once (may be `{}`)
---@field output? string the column the score is written to (default: `name`)
---@field prepare? fun(stats: SegStats, p: SegParams): table?
---@field score fun(row: SegRow, p: SegParams): number? the score, or nil for none

---A cleaner: a step of a dataset's `clean:` list.
---@class SegCleaner: SegPlugin
---@field kind "cleaner"
---@field uses string[] the columns it reads and may change, each once
---@field prepare? fun(stats: SegStats, p: SegParams): table?
---@field clean fun(row: SegRow, p: SegParams): SegRow? the cleaned row, or nil to drop it

---A source: reads a dataset.
---@class SegSource: SegPlugin
---@field kind "source"
---@field columns SegColumn[] the columns it emits, in order, each once
---@field read fun(src: SegSrc, p: SegParams) emits records with `src:emit`
