import Foundation
import LuaHost
import SegworkData

/// A segmentation plan (`seg plan`, docs/SCALE.md): everything `seg apply` needs to label and score one customer
/// at a time, frozen: the definition, each scorer's and criterion's source and the modules it requires, the
/// statistics its `prepare` saw and the parameters it had afterwards, the input columns and their types, the
/// reference date and where the statistics came from. Written as JSON with sorted keys (`"format": 1`), so two
/// plans diff line by line.
public struct SegmentPlan: Codable, Sendable, Equatable {
    /// The plan format this Segwork writes and reads. A plan with a higher number is refused.
    public static let currentFormat = 1

    /// The plan format (``currentFormat`` when written by this Segwork).
    public var format: Int
    /// The Segwork version that wrote the plan.
    public var segwork: String
    /// The definition's name (its file name without `.yaml`).
    public var definition: String
    /// The definition file as the workspace showed it (`segmentations/rfm.yaml`), for messages.
    public var definitionFile: String
    /// The definition's text, parsed again by `seg apply` (combine, renames, pins, parameter overrides).
    public var definitionText: String
    /// The id column of the customer rows.
    public var id: String
    /// The reference date (ISO), which plugins see as their frozen clock.
    public var asOf: String
    /// The per-call plugin limits of the workspace the plan was made in.
    public var limits: Limits
    /// Where the statistics `prepare` saw came from.
    public var statistics: StatisticsProvenance
    /// The columns each input row must have, with the type they are read as, id first.
    public var inputs: [InputColumn]
    /// The columns of each output row, in order: id, `segment`, the criterion columns, the scores, and the
    /// definition's `membership.columns` (as `membership.csv` has them).
    public var outputs: [String]
    /// The scorers, in definition order.
    public var scorers: [PlannedPlugin]
    /// The criteria, in definition order.
    public var criteria: [PlannedPlugin]
    /// What `seg apply` does not compute: the built-in features (`rfm`, `days_since`) the engine computes before
    /// apply sees a row.
    public var features: [String]

    /// The limits of one plugin call (`workspace.yaml` `limits:`).
    public struct Limits: Codable, Sendable, Equatable {
        /// Lua instructions per call.
        public var instructions: Int
        /// Memory per plugin, in bytes.
        public var memoryBytes: Int
        /// Wall-clock seconds per call.
        public var seconds: Double
        /// Distinct labels per criterion and segments per run.
        public var segments: Int

        enum CodingKeys: String, CodingKey {
            case instructions, seconds, segments
            case memoryBytes = "memory_bytes"
        }
        /// The most a plan may set: far above any real plugin's needs, so a damaged or doctored plan cannot lift
        /// the sandbox's budgets.
        static let maxInstructions = 100_000_000_000, maxMemoryBytes = 4 << 30, maxSeconds = 600.0, maxSegments = 1_000_000

        init(_ l: LuaLimits) {
            instructions = l.instructions; memoryBytes = l.memoryBytes; seconds = l.seconds; segments = l.segments
        }
        var luaLimits: LuaLimits {
            LuaLimits(instructions: instructions, memoryBytes: memoryBytes, seconds: seconds, segments: segments)
        }
    }

    /// Where a plan's statistics came from: `source` is `local-run` (a run of the definition on its workspace's
    /// data) or `stats-file` (a file an engine such as Spark computed); `quantiles` is `exact` or `approximate`,
    /// with the rank error bound `relative_error` for approximate ones.
    public struct StatisticsProvenance: Codable, Sendable, Equatable {
        /// `local-run` or `stats-file`.
        public var source: String
        /// `exact` or `approximate`.
        public var quantiles: String
        /// For approximate quantiles: each is a value whose rank is within `relative_error · n` of the exact rank.
        public var relativeError: Double?
        /// The statistics file's `engine` (free text, e.g. `spark 4.3.0`), when it named one.
        public var engine: String?
        /// How many customers the statistics describe.
        public var rows: Int

        enum CodingKeys: String, CodingKey {
            case source, quantiles, engine, rows
            case relativeError = "relative_error"
        }
    }

    /// One input column: its name and the type `seg apply` reads it as.
    public struct InputColumn: Codable, Sendable, Equatable {
        /// The column name.
        public var name: String
        /// `integer`, `double`, `bool`, `date` or `string`.
        public var type: ColumnType
    }

    /// A scorer or criterion, frozen.
    public struct PlannedPlugin: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// `scorer` or `criterion`.
        public var kind: String
        /// Its declared version.
        public var version: String
        /// The library it came from (`segwork` for the bundled one, `workspace` for the workspace's own).
        public var library: String
        /// Whether that library is Segwork's bundled one.
        public var bundled: Bool
        /// Its file inside the library (`criteria/rfm.lua`).
        public var file: String
        /// SHA-256 of `source`.
        public var sha256: String
        /// The plugin file's text.
        public var source: String
        /// The modules it requires, with their text.
        public var modules: [PlannedModule]
        /// Field the plugin reads (`uses`) → the input column that fills it (the definition's `columns:` mapping).
        public var uses: [String: String]
        /// For a scorer, the column it writes.
        public var output: String?
        /// Its parameters after `prepare` (what a run records).
        public var params: [String: PluginValue]
        /// What `prepare(stats, p)` was given, by field; `seg apply` gives it the same and checks that the
        /// parameters come out as recorded.
        public var stats: [String: PlanColumnStats]
    }

    /// A module a plugin requires.
    public struct PlannedModule: Codable, Sendable, Equatable {
        /// The name given to `require`.
        public var name: String
        /// The library it was found in.
        public var library: String
        /// Whether that is the bundled library.
        public var bundled: Bool
        /// Its path inside the library (`lib/segutil.lua`).
        public var file: String
        /// SHA-256 of `source`.
        public var sha256: String
        /// Its text.
        public var source: String
    }

    enum CodingKeys: String, CodingKey {
        case format, segwork, definition, id, limits, statistics, inputs, outputs, scorers, criteria, features
        case definitionFile = "definition_file"
        case definitionText = "definition_text"
        case asOf = "as_of"
    }

    /// The plan as the bytes `seg plan` writes: pretty JSON, keys sorted, ending in a newline.
    public var json: Data { JSONOutput.file(self, what: "the plan") }

    /// Reads a plan; `file` names it in errors. Refuses a plan of a newer format, and one whose sources do not
    /// match their recorded SHA-256 (edited by hand).
    public static func read(_ data: Data, file: String) throws -> SegmentPlan {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw PlanError.badPlan(file: file, detail: "is not a JSON object; make it with `seg plan`")
        }
        guard let format = object["format"] as? Int else {
            throw PlanError.badPlan(file: file, detail: "has no integer \"format\"; make it with `seg plan`")
        }
        if format > currentFormat {
            throw PlanError.newerFormat(file: file, found: format, supported: currentFormat)
        }
        if format < 1 { throw PlanError.badPlan(file: file, detail: "has \"format\" \(format); plans start at format 1: make it with `seg plan`") }
        let plan: SegmentPlan
        do { plan = try JSONDecoder().decode(SegmentPlan.self, from: data) } catch let e as DecodingError {
            throw PlanError.badPlan(file: file, detail: PlanStatsFile.describe(e))
        }
        for p in plan.scorers + plan.criteria {
            try check(p.source, p.sha256, "plugin '\(p.name)'", file)
            for m in p.modules { try check(m.source, m.sha256, "module '\(m.name)' of plugin '\(p.name)'", file) }
        }
        // The limits are the sandbox's: a plan may not lift them past what any workspace would ask for.
        let l = plan.limits
        guard (1_000...Limits.maxInstructions).contains(l.instructions), (1 << 20...Limits.maxMemoryBytes).contains(l.memoryBytes),
              l.seconds > 0, l.seconds <= Limits.maxSeconds, (1...Limits.maxSegments).contains(l.segments) else {
            throw PlanError.badPlan(file: file, detail: "\"limits\" are out of range (instructions 1000…\(Limits.maxInstructions), memory_bytes 1 MiB…\(Limits.maxMemoryBytes >> 30) GiB, seconds up to \(Int(Limits.maxSeconds)), segments 1…\(Limits.maxSegments)); make the plan again with `seg plan`")
        }
        let expected = try Self.outputs(of: plan)
        guard plan.outputs == expected else {
            throw PlanError.badPlan(file: file, detail: "\"outputs\" (\(plan.outputs.joined(separator: ", "))) are not what its definition writes (\(expected.joined(separator: ", "))); make it again with `seg plan`")
        }
        guard CivilDate(iso: Substring(plan.asOf)) != nil else {
            throw PlanError.badPlan(file: file, detail: "\"as_of\" is '\(plan.asOf)', not a date (YYYY-MM-DD)")
        }
        return plan
    }

    /// The output columns the plan's definition writes: membership.csv's header for it.
    static func outputs(of plan: SegmentPlan) throws -> [String] {
        let def = try Definition.parse(text: plan.definitionText, file: plan.definitionFile, defaultName: plan.definition)
        return [def.id, "segment"] + MembershipLayout(definition: def).columns + plan.scorers.compactMap(\.output)
            + def.membershipColumns
    }

    private static func check(_ text: String, _ sha: String, _ what: String, _ file: String) throws {
        let actual = SHA256.hex(Data(text.utf8))
        guard actual == sha else {
            throw PlanError.badPlan(file: file, detail: "the source of \(what) does not match its sha256 (\(sha.prefix(12))…, the text hashes to \(actual.prefix(12))…); the plan was edited: make it again with `seg plan`")
        }
    }
}

/// What went wrong making or applying a plan. Each case names the file (the plan, the statistics file, or
/// standard input with its line) and says what to do.
public enum PlanError: SegworkError, CustomStringConvertible, Equatable {
    /// The plan cannot be used (not JSON, a missing field, an edited source).
    case badPlan(file: String, detail: String)
    /// The plan was written by a newer Segwork, in a format this one does not know.
    case newerFormat(file: String, found: Int, supported: Int)
    /// The statistics file is malformed; `field` is the JSON path (`columns.monetary.p`).
    case badStats(file: String, field: String, detail: String)
    /// The definition needs something a plan cannot freeze (clustering, a source plugin's data).
    case unsupported(definition: String, detail: String)
    /// A row of the input cannot be applied.
    case badInput(line: Int, column: String?, detail: String)
    /// A plugin's `prepare` gave other parameters from the frozen statistics than the plan records.
    case paramsDiffer(file: String, plugin: String, detail: String)

    /// `plan.seg: …`, `stats.json, field 'columns.monetary.p': …`, `standard input, line 7, column 'frequency': …`.
    public var description: String {
        switch self {
        case .badPlan(let file, let detail): return "\(file): \(detail)"
        case .newerFormat(let file, let found, let supported):
            return "\(file): the plan has format \(found), but this Segwork (\(segworkVersion)) reads format \(supported) and older; use a newer seg, or make the plan again with this one"
        case .badStats(let file, let field, let detail): return "\(file), field '\(field)': \(detail)"
        case .unsupported(let definition, let detail): return "\(definition): \(detail)"
        case .badInput(let line, let column, let detail):
            return "standard input, line \(line)" + (column.map { ", column '\($0)'" } ?? "") + ": \(detail)"
        case .paramsDiffer(let file, let plugin, let detail):
            return "\(file): plugin '\(plugin)' \(detail)"
        }
    }

    /// Bad or edited plans (parameters that do not come out as recorded included), statistics files and definitions
    /// are usage errors (2); bad input rows fail the run (1).
    public var exitStatus: ExitStatus {
        switch self {
        case .badInput: return .runFailed
        default: return .usage
        }
    }
}
