import Foundation

/// What editors need to understand a workspace: `.luarc.json` for lua-language-server (plugin completion from the
/// `---@meta` files in the bundled library's `types/`) and the `# yaml-language-server: $schema=…` first line that
/// points YAML editors at `schemas/*.schema.json`. `seg init` and the example workspaces use the same text.
package enum EditorSupport {
    /// The LuaLS libraries the sandbox does not offer (or offers only in part: `os`, `basic`); `types/seg.lua`
    /// declares exactly what is left of them.
    package static let disabledLuaLibraries = ["basic", "debug", "io", "os", "package"]

    /// The `.luarc.json` text for a workspace: Lua 5.4, the sandbox's libraries only, and `workspace.library`
    /// pointing at `typesPath` (the `types/` folder of the bundled library) and `libPath` (its `lib/`, so
    /// `require "segutil"` resolves). Paths are written as given: relative ones are read from the workspace folder.
    package static func luarc(typesPath: String, libPath: String) -> String {
        let builtin = disabledLuaLibraries.map { "      \"\($0)\": \"disable\"" }.joined(separator: ",\n")
        return """
        {
          "runtime": {
            "version": "Lua 5.4",
            "builtin": {
        \(builtin)
            }
          },
          "workspace": {
            "library": [\(json(typesPath)), \(json(libPath))],
            "checkThirdParty": false
          }
        }

        """
    }

    /// The first line that tells yaml-language-server (VS Code's YAML extension, Neovim's yamlls) which schema a
    /// file follows: `schema` is `workspace`, `definition` or `library`, `folder` the schemas folder as the file
    /// should name it (relative to the file, or absolute).
    package static func schemaComment(_ schema: String, folder: String) -> String {
        "# yaml-language-server: $schema=\(folder)/\(schema).schema.json"
    }

    /// The bundled `schemas/` folder: beside the bundled plugin library (`plugins/../schemas`), when it exists.
    package static func bundledSchemas(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let plugins = Workspace.bundledLibrary(environment: environment) else { return nil }
        let schemas = plugins.deletingLastPathComponent().appendingPathComponent("schemas")
        return FileManager.default.fileExists(atPath: schemas.appendingPathComponent("workspace.schema.json").path)
            ? schemas.standardizedFileURL : nil
    }

    /// The editor files of a new workspace at `root`: `.luarc.json` (when the bundled library has `types/`) and
    /// the schema line each YAML file starts with (empty when the bundled schemas are not found). Paths into the
    /// Segwork sources are relative when the workspace lies inside them (as `workspaces/demo` does), else absolute.
    package static func scaffold(root: URL, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (luarc: (String, String)?, workspaceComment: String, definitionComment: String) {
        guard let plugins = Workspace.bundledLibrary(environment: environment) else { return (nil, "", "") }
        let sources = plugins.deletingLastPathComponent()
        var luarc: (String, String)?
        if FileManager.default.fileExists(atPath: plugins.appendingPathComponent("types/seg.lua").path) {
            luarc = (".luarc.json", Self.luarc(typesPath: path(plugins.appendingPathComponent("types"), from: root, within: sources),
                                               libPath: path(plugins.appendingPathComponent("lib"), from: root, within: sources)))
        }
        guard let schemas = bundledSchemas(environment: environment) else { return (luarc, "", "") }
        let definitions = root.appendingPathComponent("segmentations")
        return (luarc, schemaComment("workspace", folder: path(schemas, from: root, within: sources)) + "\n",
                schemaComment("definition", folder: path(schemas, from: definitions, within: sources)) + "\n")
    }

    /// `target` relative to the folder `from` when both lie inside the folder `within` (the Segwork sources), else
    /// `target`'s absolute path.
    package static func path(_ target: URL, from: URL, within: URL) -> String {
        func parts(_ url: URL) -> [String] { url.standardizedFileURL.resolvingSymlinksInPath().pathComponents }
        let t = parts(target), f = parts(from), top = parts(within)
        guard t.starts(with: top), f.starts(with: top) else { return target.standardizedFileURL.path }
        var common = 0
        while common < min(t.count, f.count), t[common] == f[common] { common += 1 }
        return (Array(repeating: "..", count: f.count - common) + t[common...]).joined(separator: "/")
    }

    private static func json(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
