import Foundation
import Yams
import SegworkData

extension CleanStep {
    /// The step names a `clean:` list accepts.
    package static let stepNames = ["dedupe", "standardise", "missing", "validate", "plugin"]

    /// Every key of a `- plugin:` step (written like a criterion).
    package static let pluginKeys = ["plugin", "params", "columns"] + PluginPin.keys
    /// The option keys of each built-in step.
    package static let optionKeys: [String: [String]] = [
        "dedupe": ["key", "keep", "by"],
        "standardise": ["column", "trim", "case", "collapse_whitespace", "map", "dates"],
        "missing": ["column", "action", "value"],
        "validate": ["column", "range", "allowed", "regex", "required", "on_error"],
    ]

    /// Parses a dataset's `clean:` list; every mistake is a `DefinitionError` with the line and a did-you-mean.
    static func parseList(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [CleanStep] {
        try y.sequence(node, path).enumerated().map { i, item in
            let p = "\(path)[\(i)]"
            if item.mapping?.keys.contains(where: { $0.scalar?.string == "plugin" }) == true {
                return CleanStep(action: .plugin(try plugin(item, p, y)), line: item.mark?.line)
            }
            let entries = try y.mapping(item, p, known: stepNames)
            guard entries.count == 1, let (name, options) = entries.first else {
                throw y.error(item, "'\(p)' must name exactly one step (one of \(stepNames.joined(separator: ", "))), e.g. '- dedupe: { key: [customer_id] }'")
            }
            let sp = "\(p).\(name)"
            let action: Action
            switch name {
            case "dedupe": action = try dedupe(options, sp, y)
            case "standardise": action = .standardise(try standardise(options, sp, y))
            case "missing": action = try missing(options, sp, y)
            default: action = .validate(try validate(options, sp, y))
            }
            return CleanStep(action: action, line: item.mark?.line)
        }
    }

    /// `- plugin: <name>` with optional `params:` and `columns:`, written like a criterion in `criteria:`.
    private static func plugin(_ node: Node, _ p: String, _ y: YAMLFields) throws -> CleanPluginSpec {
        var spec = CleanPluginSpec(name: "")
        for (k, v) in try y.mapping(node, p, known: pluginKeys) {
            if try spec.pin.parse(k, v, p, y) { continue }
            switch k {
            case "plugin": spec.name = try y.string(v, "\(p).plugin")
            case "params":
                guard case .object(let o) = try y.value(v, "\(p).params") else {
                    throw y.error(v, "'\(p).params' must be a mapping of parameter names to values")
                }
                spec.params = o
            default:
                for (field, column) in try y.mapping(v, "\(p).columns") {
                    spec.columns[field] = try y.string(column, "\(p).columns.\(field)")
                }
            }
        }
        if spec.name.isEmpty { throw y.error(node, "'\(p).plugin' needs the name of a cleaner plugin") }
        return spec
    }

    private static func dedupe(_ node: Node, _ p: String, _ y: YAMLFields) throws -> Action {
        var key: [String] = []
        var keep = "first"
        var by: String?
        for (k, v) in try y.mapping(node, p, known: optionKeys["dedupe"]) {
            switch k {
            case "key": key = try y.strings(v, "\(p).key")
            case "keep": keep = try y.string(v, "\(p).keep")
            default: by = try y.string(v, "\(p).by")
            }
        }
        if key.isEmpty { throw y.error(node, "'\(p)' needs 'key: [<column>, ...]'") }
        switch (keep, by) {
        case ("first", nil): return .dedupe(key: key, keep: .first)
        case ("last", nil): return .dedupe(key: key, keep: .last)
        case ("latest", let by?): return .dedupe(key: key, keep: .latest(by: by))
        case ("latest", nil): throw y.error(node, "'\(p)' keeps 'latest', which needs 'by: <date column>'")
        case ("first", _), ("last", _): throw y.error(node, "'\(p).by' only goes with 'keep: latest'")
        default:
            let hint = closest(keep, ["first", "last", "latest"]).map { "; did you mean '\($0)'?" } ?? ""
            throw y.error(node, "'\(p).keep' must be first, last or latest (got '\(keep)')\(hint)")
        }
    }

    private static func standardise(_ node: Node, _ p: String, _ y: YAMLFields) throws -> StandardiseSpec {
        var s = StandardiseSpec(column: "")
        for (k, v) in try y.mapping(node, p, known: optionKeys["standardise"]) {
            switch k {
            case "column": s.column = try y.string(v, "\(p).column")
            case "trim": s.trim = try y.bool(v, "\(p).trim")
            case "collapse_whitespace": s.collapseWhitespace = try y.bool(v, "\(p).collapse_whitespace")
            case "case":
                let c = try y.string(v, "\(p).case")
                guard let t = TextCase(rawValue: c) else {
                    throw y.error(v, "'\(p).case' must be upper or lower (got '\(c)')")
                }
                s.textCase = t
            case "map":
                for (from, to) in try y.mapping(v, "\(p).map") { s.map[from] = try y.string(to, "\(p).map.\(from)") }
            default:
                s.dates = try y.strings(v, "\(p).dates")
                for f in s.dates {
                    if let problem = DateFormat.problem(f) { throw y.error(v, "'\(p).dates': format '\(f)' \(problem)") }
                }
            }
        }
        if s.column.isEmpty { throw y.error(node, "'\(p)' needs 'column: <name>'") }
        if !s.trim, !s.collapseWhitespace, s.textCase == nil, s.map.isEmpty, s.dates.isEmpty {
            throw y.error(node, "'\(p)' does nothing; give at least one of trim, case, collapse_whitespace, map, dates")
        }
        return s
    }

    private static func missing(_ node: Node, _ p: String, _ y: YAMLFields) throws -> Action {
        var column = "", action = "", value: String?
        for (k, v) in try y.mapping(node, p, known: optionKeys["missing"]) {
            switch k {
            case "column": column = try y.string(v, "\(p).column")
            case "action": action = try y.string(v, "\(p).action")
            default: value = try y.string(v, "\(p).value")
            }
        }
        if column.isEmpty { throw y.error(node, "'\(p)' needs 'column: <name>'") }
        let actions = ["drop_row", "fill", "fill_median", "flag"]
        switch action {
        case "fill":
            guard let value else { throw y.error(node, "'\(p)' fills, which needs 'value: <value>'") }
            return .missing(column: column, action: .fill(value))
        case _ where value != nil: throw y.error(node, "'\(p).value' only goes with 'action: fill'")
        case "drop_row": return .missing(column: column, action: .dropRow)
        case "fill_median": return .missing(column: column, action: .fillMedian)
        case "flag": return .missing(column: column, action: .flag)
        default:
            let hint = closest(action, actions).map { "; did you mean '\($0)'?" } ?? ""
            throw y.error(node, "'\(p).action' must be one of \(actions.joined(separator: ", ")) (got '\(action)')\(hint)")
        }
    }

    private static func validate(_ node: Node, _ p: String, _ y: YAMLFields) throws -> ValidateSpec {
        var s = ValidateSpec(column: "")
        for (k, v) in try y.mapping(node, p, known: optionKeys["validate"]) {
            switch k {
            case "column": s.column = try y.string(v, "\(p).column")
            case "required": s.required = try y.bool(v, "\(p).required")
            case "allowed": s.allowed = try y.strings(v, "\(p).allowed")
            case "regex":
                let r = try y.string(v, "\(p).regex")
                do { _ = try NSRegularExpression(pattern: r) } catch {
                    throw y.error(v, "'\(p).regex' is not a valid regular expression: \(r)")
                }
                s.regex = r
            case "on_error":
                let e = try y.string(v, "\(p).on_error")
                guard let o = ValidateSpec.OnError(rawValue: e) else {
                    throw y.error(v, "'\(p).on_error' must be reject or stop (got '\(e)')")
                }
                s.onError = o
            default:
                let bounds = try y.sequence(v, "\(p).range")
                guard bounds.count == 2 else { throw y.error(v, "'\(p).range' must be [min, max]") }
                let parsed = try bounds.map { b -> (Double, Bool) in
                    if let d = CivilDate(iso: Substring(try y.string(b, "\(p).range"))) { return (Double(d.days), true) }
                    return (try y.double(b, "\(p).range"), false)
                }
                guard parsed[0].1 == parsed[1].1 else {
                    throw y.error(v, "'\(p).range' mixes a date and a number; write both bounds the same way")
                }
                guard parsed[0].0 <= parsed[1].0 else { throw y.error(v, "'\(p).range' has min above max") }
                s.range = (parsed[0].0, parsed[1].0, parsed[0].1)
            }
        }
        if s.column.isEmpty { throw y.error(node, "'\(p)' needs 'column: <name>'") }
        if s.range == nil, s.allowed == nil, s.regex == nil, !s.required {
            throw y.error(node, "'\(p)' checks nothing; give at least one of range, allowed, regex, required")
        }
        return s
    }
}
