import Foundation
import LuaHost

/// One place a definition names a plugin: a criterion, a scorer, a dataset's `source:` or a `clean:` plugin step.
struct PluginUseSite {
    var name: String
    var kind: PluginKind
    var pin: PluginPin
    var params: [String: PluginValue]
    var line: Int?
}

enum PluginUses {
    /// Every plugin `definition` names, in definition order: sources and cleaners (dataset order), scorers, criteria.
    static func all(in definition: Definition) -> [PluginUseSite] {
        var out: [PluginUseSite] = []
        for spec in definition.datasets {
            if let source = spec.source {
                out.append(PluginUseSite(name: source, kind: .source, pin: spec.sourcePin, params: spec.params, line: spec.line))
            }
            for step in spec.clean {
                if case .plugin(let use) = step.action {
                    out.append(PluginUseSite(name: use.name, kind: .cleaner, pin: use.pin, params: use.params, line: step.line))
                }
            }
        }
        out += definition.scorers.map { PluginUseSite(name: $0.plugin, kind: .scorer, pin: $0.pin, params: $0.params, line: $0.line) }
        out += definition.criteria.map { PluginUseSite(name: $0.plugin, kind: .criterion, pin: $0.pin, params: $0.params, line: $0.line) }
        return out
    }
}
