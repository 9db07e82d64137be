import Foundation
import LuaHost
import SegworkData

/// Lists what differs between the inputs of two versions, in the order documented on `InputChange`.
enum InputComparison {
    /// The changes from `from` to `to`; empty when both were made from the same things.
    static func changes(from: VersionRecord, to: VersionRecord) -> [InputChange] {
        var out: [InputChange] = []
        if from.definitionSHA256 != to.definitionSHA256 || from.definitionText != to.definitionText {
            out.append(InputChange(kind: .definition, name: to.definition, field: "sha256",
                                   before: from.definitionSHA256, after: to.definitionSHA256))
        }
        if from.asOf != to.asOf {
            out.append(InputChange(kind: .run, name: "", field: "as_of", before: from.asOf, after: to.asOf))
        }
        if from.segworkVersion != to.segworkVersion {
            out.append(InputChange(kind: .run, name: "", field: "segwork_version",
                                   before: from.segworkVersion, after: to.segworkVersion))
        }
        out += compare(from.inputs, to.inputs, name: \.name) { name, a, b in
            var c: [InputChange] = []
            func field(_ f: String, _ x: String, _ y: String) {
                if x != y { c.append(InputChange(kind: .dataset, name: name, field: f, before: x, after: y)) }
            }
            guard let a, let b else {
                return [InputChange(kind: .dataset, name: name, field: a == nil ? "added" : "removed",
                                    before: a?.sha256, after: b?.sha256)]
            }
            field("file", a.file, b.file)
            field("sha256", a.sha256, b.sha256)
            field("rows", String(a.rows), String(b.rows))
            return c
        }
        out += compare(from.plugins, to.plugins, name: \.name) { name, a, b in
            var c: [InputChange] = []
            func field(_ f: String, _ x: String, _ y: String) {
                if x != y { c.append(InputChange(kind: .plugin, name: name, field: f, before: x, after: y)) }
            }
            guard let a, let b else {
                return [InputChange(kind: .plugin, name: name, field: a == nil ? "added" : "removed",
                                    before: a?.version, after: b?.version)]
            }
            field("kind", a.kind, b.kind)
            field("version", a.version, b.version)
            field("file", a.file, b.file)
            field("sha256", a.sha256, b.sha256)
            let params = Set(a.params.keys).union(b.params.keys).sorted(by: ByteOrder.less)
            for p in params {
                let x = a.params[p].map(MarkdownText.render), y = b.params[p].map(MarkdownText.render)
                if x != y {
                    c.append(InputChange(kind: .plugin, name: name, field: "param", param: p, before: x, after: y))
                }
            }
            return c
        }
        return out
    }

    /// Pairs the items of both lists by name (names in byte order; the first item of a repeated name
    /// counts) and collects `changes(name, before, after)`, with nil for a side that lacks the name.
    private static func compare<T>(_ a: [T], _ b: [T], name: (T) -> String,
                                   _ changes: (String, T?, T?) -> [InputChange]) -> [InputChange] {
        var left: [String: T] = [:], right: [String: T] = [:]
        for x in a where left[name(x)] == nil { left[name(x)] = x }
        for x in b where right[name(x)] == nil { right[name(x)] = x }
        let names = Set(left.keys).union(right.keys).sorted(by: ByteOrder.less)
        return names.flatMap { changes($0, left[$0], right[$0]) }
    }
}
