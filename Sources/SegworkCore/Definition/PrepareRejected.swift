import SegworkData
import LuaHost

extension DefinitionError {
    /// A plugin's `prepare` raised an error while the definition overrides some of its parameters: `prepare` is
    /// where plugins check their parameters, so the mistake is most likely in the definition. Returns a definition
    /// error at the line of the override the message names (else of the `params:` mapping, else of the plugin's
    /// entry), keeping the plugin's own message and file; nil when nothing is overridden or the error is not one the
    /// plugin raised itself (a budget, memory or time limit), so the caller keeps the plugin error.
    static func prepareRejected(_ e: PluginError, overrides: [String: PluginValue], lines: [String: Int], line: Int?,
                                file: String) -> DefinitionError? {
        guard !overrides.isEmpty, case .runtime(let message) = e.reason else { return nil }
        let named = overrides.keys.sorted().filter { message.contains($0) }
        let at = named.lazy.compactMap { lines["params.\($0)"] }.first ?? lines["params"] ?? line
        let set = (named.isEmpty ? overrides.keys.sorted() : named).joined(separator: ", ")
        return DefinitionError(file: file, line: at,
                               "plugin '\(e.plugin)' rejected the parameters this definition sets (\(set)) in prepare: \(e); fix the value in 'params', or remove it to use the plugin's default")
    }
}
