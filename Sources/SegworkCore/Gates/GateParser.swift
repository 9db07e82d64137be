import Foundation
import Yams
import SegworkData

extension GateSet {
    /// Every key `gates:` accepts, in documentation order.
    package static let keys = ["min_segment_size", "max_segment_size", "min_segment_share", "max_segment_share",
                       "max_segments", "required_segments", "max_unassigned_share", "max_drift", "segments",
                       "profile"]

    /// Every key of one entry of `gates.segments`.
    package static let segmentLimitKeys = ["min_size", "max_size", "min_share", "max_share"]
    /// Every key of one item of `gates.profile`.
    package static let profileBoundKeys = ["segment", "column", "statistic", "min", "max"]

    /// Parses the `gates:` mapping. An empty `gates:` is an empty set. Every mistake (unknown key, wrong type,
    /// negative size, share outside 0..1, a minimum above a maximum) is a `DefinitionError` naming the line.
    static func parse(_ node: Node, _ y: YAMLFields) throws -> GateSet {
        if node.scalar != nil, node.tag.description == Tag.Name.null.rawValue { return GateSet() }
        var set = GateSet()
        var nodes: [String: Node] = [:]
        for (key, v) in try y.mapping(node, "gates", known: keys) {
            let path = "gates.\(key)"
            nodes[key] = v
            switch key {
            case "min_segment_size": set.gates.append(.minSegmentSize(try size(v, path, y)))
            case "max_segment_size": set.gates.append(.maxSegmentSize(try size(v, path, y)))
            case "min_segment_share": set.gates.append(.minSegmentShare(try share(v, path, y)))
            case "max_segment_share": set.gates.append(.maxSegmentShare(try share(v, path, y)))
            case "max_segments": set.gates.append(.maxSegments(try size(v, path, y)))
            case "required_segments": set.gates.append(.requiredSegments(try required(v, path, y)))
            case "max_unassigned_share": set.gates.append(.maxUnassignedShare(try share(v, path, y)))
            case "max_drift": set.gates.append(.maxDrift(try share(v, path, y)))
            case "segments": set.gates.append(.segments(try segmentLimits(v, path, y)))
            default: set.gates.append(.profile(try profileBounds(v, path, y)))
            }
        }
        try set.checkRanges(nodes, y)
        return set
    }

    // MARK: - Values

    /// A customer count: a whole number, 0 or more.
    static func size(_ node: Node, _ path: String, _ y: YAMLFields) throws -> Int {
        let n = try y.int(node, path)
        guard n >= 0 else { throw y.error(node, "'\(path)' is \(n); a number of customers must be 0 or more") }
        return n
    }

    /// A share: a number from 0 to 1, or a percentage string from "0%" to "100%".
    static func share(_ node: Node, _ path: String, _ y: YAMLFields) throws -> Double {
        if let text = node.scalar?.string, text.hasSuffix("%") {
            let number = text.dropLast().trimmingCharacters(in: .whitespaces)
            // Shifting the exponent in the text keeps "7%" exactly the double 0.07.
            guard !number.contains(where: { "eE".contains($0) }), let p = Double(number), p.isFinite,
                  let d = Double(number + "e-2") else {
                throw y.error(node, "'\(path)' is '\(text)'; write a percentage like \"5%\" or a fraction like 0.05")
            }
            guard (0...100).contains(p) else {
                throw y.error(node, "'\(path)' is \(text); a percentage must be between 0% and 100%")
            }
            return d
        }
        guard node.scalar != nil, let d = node.float ?? node.int.map(Double.init), d.isFinite else {
            throw y.error(node, "'\(path)' must be a share: a fraction like 0.05 or a percentage like \"5%\"")
        }
        guard (0...1).contains(d) else {
            let hint = d > 1 && d <= 100 ? "; for \(formatDouble(d)) percent write \"\(formatDouble(d))%\"" : ""
            throw y.error(node, "'\(path)' is \(formatDouble(d)); a share is a fraction of all customers between 0 and 1 (0.05 = 5%)\(hint)")
        }
        return d
    }

    /// A profile bound: any finite number; for share statistics a share (0..1 or a percentage string).
    private static func bound(_ node: Node, _ path: String, share isShare: Bool, _ y: YAMLFields) throws -> Double {
        if isShare { return try share(node, path, y) }
        let d = try y.double(node, path)
        guard d.isFinite else { throw y.error(node, "'\(path)' must be a finite number") }
        return d
    }

    private static func required(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [String] {
        let names = try y.strings(node, path)
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            let at = node.sequence.map { Array($0)[i] } ?? node
            try checkLabel(name, at, "\(path)[\(i)]", y)
            if !seen.insert(name).inserted { throw y.error(at, "'\(path)' lists '\(name)' twice; list it once") }
        }
        return names
    }

    /// Rejects names that cannot be segment labels.
    private static func checkLabel(_ name: String, _ node: Node, _ path: String, _ y: YAMLFields) throws {
        if name.isEmpty { throw y.error(node, "'\(path)' is empty; name a segment") }
        if name == Profiler.unassignedLabel || name == Profiler.populationLabel || name == ProfileBound.everySegment {
            throw y.error(node, "'\(path)': '\(name)' is not a segment label here"
                          + (name == Profiler.unassignedLabel ? "; bound unassigned customers with max_unassigned_share" : ""))
        }
    }

    // MARK: - Sections

    private static func segmentLimits(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [SegmentLimits] {
        try y.mapping(node, path).map { name, spec in
            let p = "\(path).\(name)"
            try checkLabel(name, spec, p, y)
            var l = SegmentLimits(segment: name)
            let entries = try y.mapping(spec, p, known: segmentLimitKeys)
            if entries.isEmpty {
                throw y.error(spec, "'\(p)' sets no limit; give min_size, max_size, min_share or max_share")
            }
            var nodes: [String: Node] = [:]
            for (k, v) in entries {
                nodes[k] = v
                switch k {
                case "min_size": l.minSize = try size(v, "\(p).\(k)", y)
                case "max_size": l.maxSize = try size(v, "\(p).\(k)", y)
                case "min_share": l.minShare = try share(v, "\(p).\(k)", y)
                default: l.maxShare = try share(v, "\(p).\(k)", y)
                }
            }
            try order(l.minSize.map(Double.init), l.maxSize.map(Double.init), nodes["max_size"], p, "min_size", "max_size", y)
            try order(l.minShare, l.maxShare, nodes["max_share"], p, "min_share", "max_share", y)
            return l
        }
    }

    private static func profileBounds(_ node: Node, _ path: String, _ y: YAMLFields) throws -> [ProfileBound] {
        try y.sequence(node, path).enumerated().map { i, item in
            let p = "\(path)[\(i)]"
            var fields: [String: Node] = [:]
            for (k, v) in try y.mapping(item, p, known: profileBoundKeys) { fields[k] = v }
            guard let segNode = fields["segment"] else {
                throw y.error(item, "'\(p)' needs 'segment: <label>' (or \"*\" for every segment)")
            }
            let segment = try y.string(segNode, "\(p).segment")
            if segment.isEmpty { throw y.error(segNode, "'\(p).segment' is empty; name a segment or write \"*\"") }
            guard let statNode = fields["statistic"] else {
                throw y.error(item, "'\(p)' needs 'statistic:' (one of \(statisticNames))")
            }
            let name = try y.string(statNode, "\(p).statistic")
            guard let statistic = ProfileStatistic(rawValue: name) else {
                let hint = closest(name, ProfileStatistic.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                throw y.error(statNode, "'\(p).statistic' is '\(name)', not a statistic\(hint) (known: \(statisticNames))")
            }
            let column = try fields["column"].map { try y.string($0, "\(p).column") }
            if statistic.needsColumn, column == nil {
                throw y.error(item, "'\(p)': statistic '\(name)' is a column statistic; add 'column: <numeric column>'")
            }
            if !statistic.needsColumn, let c = fields["column"] {
                throw y.error(c, "'\(p)': statistic '\(name)' is about the whole segment; remove 'column'"
                              + " (for a column's values use mean, median, p25, p75, min, max, missing or index)")
            }
            if column?.isEmpty == true { throw y.error(fields["column"], "'\(p).column' is empty; name a column") }
            let lo = try fields["min"].map { try bound($0, "\(p).min", share: statistic.isShare, y) }
            let hi = try fields["max"].map { try bound($0, "\(p).max", share: statistic.isShare, y) }
            if lo == nil, hi == nil { throw y.error(item, "'\(p)' needs 'min:', 'max:' or both") }
            try order(lo, hi, fields["max"], p, "min", "max", y)
            return ProfileBound(segment: segment, column: column, statistic: statistic, min: lo, max: hi)
        }
    }

    private static var statisticNames: String { ProfileStatistic.allCases.map(\.rawValue).joined(separator: ", ") }

    // MARK: - Consistency

    /// Throws when `lo` is above `hi`, at the line of `at`.
    private static func order(_ lo: Double?, _ hi: Double?, _ at: Node?, _ path: String, _ loName: String,
                              _ hiName: String, _ y: YAMLFields) throws {
        guard let lo, let hi, lo > hi else { return }
        throw y.error(at, "'\(path)': \(loName) \(formatDouble(lo)) is above \(hiName) \(formatDouble(hi)), so no run could pass; swap or fix them")
    }

    /// Global minimums must not exceed global maximums, and each segment's limits (its own, else the global
    /// ones) must leave room for a passing run.
    private func checkRanges(_ nodes: [String: Node], _ y: YAMLFields) throws {
        var minSize: Int?, maxSize: Int?, minShare: Double?, maxShare: Double?
        var overrides: [SegmentLimits] = []
        for g in gates {
            switch g {
            case .minSegmentSize(let n): minSize = n
            case .maxSegmentSize(let n): maxSize = n
            case .minSegmentShare(let s): minShare = s
            case .maxSegmentShare(let s): maxShare = s
            case .segments(let l): overrides = l
            default: break
            }
        }
        try Self.order(minSize.map(Double.init), maxSize.map(Double.init), nodes["max_segment_size"], "gates",
                       "min_segment_size", "max_segment_size", y)
        try Self.order(minShare, maxShare, nodes["max_segment_share"], "gates", "min_segment_share", "max_segment_share", y)
        guard let section = nodes["segments"]?.mapping else { return }
        for l in overrides {
            let at = section[l.segment]
            let p = "gates.segments.\(l.segment)"
            let lo = (l.minSize ?? minSize).map(Double.init), hi = (l.maxSize ?? maxSize).map(Double.init)
            try Self.order(lo, hi, at, p, l.minSize == nil ? "min_segment_size" : "min_size",
                           l.maxSize == nil ? "max_segment_size" : "max_size", y)
            try Self.order(l.minShare ?? minShare, l.maxShare ?? maxShare, at, p,
                           l.minShare == nil ? "min_segment_share" : "min_share",
                           l.maxShare == nil ? "max_segment_share" : "max_share", y)
        }
    }
}
