import Foundation
import LuaHost
import SegworkData
import Yams

/// `labels:` on a criterion in a definition: the plugin's label → the label the definition shows
/// (`labels: { Loyal: "Loyal Customers" }`). Applied to what `assign` returned, before labels are combined, profiled
/// and exported; labels mapped to one name become one segment. Labels not listed keep their names.
public struct LabelRenames: Sendable, Equatable {
    /// Plugin label → shown label, both in NFC.
    public var map: [String: String] = [:]
    /// The line of each key in the definition (for notes).
    public var lines: [String: Int] = [:]

    /// No renames.
    public init() {}

    /// Reads the `labels:` mapping at `path`. A new name must be a valid label (not empty, at most
    /// `LabelRules.maxLength` characters, no control characters) and not one reports use for their own rows.
    static func parse(_ node: Node, _ path: String, _ y: YAMLFields) throws -> LabelRenames {
        var out = LabelRenames()
        for (key, value) in try y.mapping(node, path) {
            let name = try y.string(value, "\(path).\(key)")
            let at = "\(path).\(key)"
            if name.isEmpty { throw y.error(value, "'\(at)' is empty; give the label to show instead of '\(key)'") }
            if name.unicodeScalars.contains(where: { TerminalText.isControl($0.value) }) {
                throw y.error(value, "'\(at)' holds a control character (tab, line break, escape…); labels may not")
            }
            let nfc = name.precomposedStringWithCanonicalMapping
            if nfc.unicodeScalars.count > LabelRules.maxLength {
                throw y.error(value, "'\(at)' is longer than \(LabelRules.maxLength) characters")
            }
            if ReservedLabel.all.contains(nfc) {
                throw y.error(value, "'\(at)' is '\(nfc)', which reports use for their own rows (\(ReservedLabel.all.sorted().joined(separator: ", "))); choose another name")
            }
            let from = key.precomposedStringWithCanonicalMapping
            out.map[from] = nfc
            out.lines[from] = value.mark?.line
        }
        return out
    }

    /// `a` with its labels renamed; labels that end up equal are merged into one (the first keeps its code).
    public func apply(_ a: LabelAssignment) -> LabelAssignment {
        guard !map.isEmpty, a.labels.contains(where: { map[$0] != nil }) else { return a }
        var labels: [String] = [], codeOf: [String: Int32] = [:], remap: [Int32] = []
        for label in a.labels {
            let shown = map[label] ?? label
            if let existing = codeOf[shown] { remap.append(existing); continue }
            codeOf[shown] = Int32(labels.count)
            remap.append(Int32(labels.count))
            labels.append(shown)
        }
        return LabelAssignment(codes: a.codes.map { $0 < 0 ? $0 : remap[Int($0)] }, labels: labels)
    }

    /// The renamed labels `a` (before renaming) never gave: a typo, or a label this data does not reach.
    public func unused(by a: LabelAssignment) -> [String] {
        guard !map.isEmpty else { return [] }  // every criterion of every run asks: no pass over the rows for nothing
        let given = Set(Set(a.codes).filter { $0 >= 0 }.map { a.labels[Int($0)] })
        return map.keys.filter { !given.contains($0) }.sorted()
    }
}
