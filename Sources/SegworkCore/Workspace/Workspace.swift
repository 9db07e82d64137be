import Foundation
import LuaHost
import SegworkData

/// A workspace folder: `workspace.yaml`, `data/`, `segmentations/*.yaml`, `plugins/`, and the generated
/// `exports/`. Definitions are text that diffs well; what runs produce stays in `exports/`.
public struct Workspace: Sendable {
    /// The folder.
    public let root: URL
    /// Its name (from `workspace.yaml`, else the folder name).
    public var name: String
    /// Plugin libraries in precedence order: the workspace's own folders (`plugins:`, default `[plugins]`), the
    /// libraries listed under `libraries:` in order, the folders of the `SEG_PLUGIN_PATH` environment variable
    /// (colon-separated), then the bundled library (`Workspace.bundledLibrary`), each folder once.
    public var libraries: [PluginLibrary]
    /// The libraries' folders, in precedence order.
    public var pluginPaths: [URL] { libraries.map(\.root) }
    /// The plugins of `libraries`.
    public var catalog: PluginCatalog { PluginCatalog(libraries: libraries) }
    /// Limits for every plugin call.
    public var limits: LuaLimits
    /// The `privacy:` settings (hashed ids, salt, small-group suppression); all off by default.
    public var privacy = PrivacySettings()

    /// Every top-level key `workspace.yaml` accepts (schemas/workspace.schema.json lists the same).
    package static let knownKeys = ["name", "description", "plugins", "libraries", "limits", "privacy"]
    /// Every key of `limits:`.
    package static let limitsKeys = ["instructions", "memory_mb", "seconds", "source_mb", "segments"]

    /// Opens the workspace at `path`; `workspace.yaml` must exist.
    public static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw DefinitionError(file: path, "is not a workspace folder; create one with workspace.yaml, data/ and segmentations/")
        }
        let configPath = root.appendingPathComponent("workspace.yaml")
        let shown = (path as NSString).appendingPathComponent("workspace.yaml")
        guard let data = FileManager.default.contents(atPath: configPath.path),
              let text = String(data: data, encoding: .utf8) else {
            throw DefinitionError(file: shown, "is missing or unreadable; every workspace needs one (at least `name: <name>`)")
        }
        let y = YAMLFields(file: shown)
        var ws = Workspace(root: root, name: root.lastPathComponent, libraries: [], limits: .default)
        var paths = ["plugins"]
        var listed: [(path: String, line: Int?)] = []
        let node = try y.root(text)
        for (k, v) in try y.mapping(node, "workspace", known: Self.knownKeys) {
            switch k {
            case "name": ws.name = try y.string(v, k)
            case "plugins": paths = try y.strings(v, k)
            case "libraries":
                listed = try y.sequence(v, k).map { item in
                    let path = try y.string(item, "libraries")
                    guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw y.error(item, "'libraries' has an empty entry; give the path of a library folder (relative to the workspace)")
                    }
                    return (path, item.mark?.line)
                }
            case "privacy": ws.privacy = try PrivacySettings.parse(v, y)
            case "limits":
                for (lk, lv) in try y.mapping(v, "limits", known: Self.limitsKeys) {
                    switch lk {
                    case "instructions":
                        let n = try y.int(lv, "limits.instructions")
                        guard n >= 1000 else { throw y.error(lv, "'limits.instructions' must be at least 1000") }
                        ws.limits.instructions = n
                    case "memory_mb":
                        let n = try y.int(lv, "limits.memory_mb")
                        guard n >= 1 else { throw y.error(lv, "'limits.memory_mb' must be at least 1") }
                        ws.limits.memoryBytes = n << 20
                    case "source_mb":
                        let n = try y.int(lv, "limits.source_mb")
                        guard n >= 1 else { throw y.error(lv, "'limits.source_mb' must be at least 1") }
                        ws.limits.sourceBytes = n << 20
                    case "segments":
                        let n = try y.int(lv, "limits.segments")
                        guard n >= 1 else { throw y.error(lv, "'limits.segments' must be at least 1") }
                        ws.limits.segments = n
                    default:
                        let s = try y.double(lv, "limits.seconds")
                        guard s > 0 else { throw y.error(lv, "'limits.seconds' must be more than 0") }
                        ws.limits.seconds = s
                    }
                }
            default: break
            }
        }
        ws.privacy.readSalt(from: environment)
        try ws.openLibraries(own: paths, listed: listed, environment: environment)
        return ws
    }

    /// Opens the libraries in precedence order (see `libraries`). A listed library must have a `library.yaml` that
    /// this host supports; two libraries may not share a name.
    private mutating func openLibraries(own: [String], listed: [(path: String, line: Int?)],
                                        environment: [String: String]) throws {
        let bundled = Self.bundledLibrary(environment: environment)
        var seen = Set<String>()
        if let bundled { seen.insert(bundled.resolvingSymlinksInPath().path) }
        var found: [PluginLibrary] = []
        var firstSeen: [String: String] = [:]
        if let bundled { firstSeen[bundled.resolvingSymlinksInPath().path] = "the bundled library, which is always searched last" }
        func add(_ url: URL, _ origin: PluginLibrary.Origin, fallback: String, required: Bool, line: Int? = nil) throws {
            let key = url.resolvingSymlinksInPath().path
            guard seen.insert(key).inserted else {
                // A listed library that is already in the search order is a mistake worth saying, not skipping.
                if case .listed = origin {
                    throw DefinitionError(file: configDisplay, line: line,
                                          "`libraries:` lists \(display(url)), which is \(firstSeen[key] ?? "already searched"); remove this entry")
                }
                return
            }
            firstSeen[key] = origin == .workspace ? "one of the workspace's own plugin folders" : "listed before"
            found.append(try PluginLibrary.open(root: url, origin: origin, shownRoot: display(url), fallbackName: fallback,
                                                requireManifest: required, listedIn: (configDisplay, line)))
        }
        for path in own { try add(resolve(path), .workspace, fallback: "workspace", required: false) }
        for item in listed { try add(resolve(item.path), .listed(line: item.line), fallback: "", required: true, line: item.line) }
        for path in (environment["SEG_PLUGIN_PATH"] ?? "").split(separator: ":") {
            // Like PATH: an entry that is not a folder is passed over.
            let url = URL(fileURLWithPath: String(path)).standardizedFileURL
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else { continue }
            try add(url, .environment, fallback: PluginLibrary.name(forFolder: url.lastPathComponent), required: false)
        }
        if let bundled {
            found.append(try PluginLibrary.open(root: bundled, origin: .bundled, shownRoot: display(bundled),
                                                fallbackName: "segwork", requireManifest: false))
        }
        // `library: NAME` must mean one folder: names are unique, but for the workspace's own folders (all `workspace`).
        var names: [String: PluginLibrary] = [:]
        for library in found where !(library.origin == .workspace && library.version == nil) {
            if let other = names.updateValue(library, forKey: library.name) {
                var line: Int?
                if case .listed(let l) = library.origin { line = l }
                let fix = library.origin == .environment ? "rename the folder, give it a library.yaml with another name, or take it out of SEG_PLUGIN_PATH"
                    : "a workspace may use each library once (remove one from `libraries:`)"
                throw DefinitionError(file: configDisplay, line: line,
                                      "two libraries are named '\(library.name)': \(other.shownRoot) and \(library.shownRoot); \(fix)")
            }
        }
        libraries = found
    }

    /// The bundled plugin library: `SEG_BUNDLED_PLUGINS` when set (empty disables it), else the `plugins/` folder
    /// of the source tree the running `seg` was built in (found by walking up from the executable), else that of
    /// the package checkout this library was compiled from (an app that depends on the package: SwiftPM keeps the
    /// checkout in the app's `.build/checkouts/`).
    public static func bundledLibrary(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let explicit = environment["SEG_BUNDLED_PLUGINS"] {
            return explicit.isEmpty ? nil : URL(fileURLWithPath: explicit).standardizedFileURL
        }
        guard var dir = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() else { return nil }
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("plugins")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("lib/segutil.lua").path) {
                return candidate.standardizedFileURL
            }
            dir.deleteLastPathComponent()
        }
        // Sources/SegworkCore/Workspace/Workspace.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent("plugins")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("lib/segutil.lua").path) {
            return candidate.standardizedFileURL
        }
        return nil
    }

    /// A path from a workspace file: absolute as is, relative to the workspace folder otherwise.
    public func resolve(_ path: String) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)).standardizedFileURL
    }

    /// The definition files in `segmentations/`, sorted by name. Hidden files (names starting with '.', such as an
    /// editor's lock file `.#churn.yaml`, often a dangling symlink) are not definitions and are left out.
    public func definitionFiles() throws -> [URL] {
        let dir = root.appendingPathComponent("segmentations")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted()
            .map { dir.appendingPathComponent($0) }
    }

    /// Loads the named definitions (all when `names` is empty). An unknown name lists the available ones.
    /// With names given, a broken definition file that is not asked for does not stop the others: only a file
    /// whose base name is one of `names` (or every file, when `names` is empty) must load.
    public func definitions(named names: [String]) throws -> [Definition] {
        let files = try definitionFiles()
        var all: [Definition] = []
        var broken: [(base: String, error: Error)] = []
        for file in files {
            do { all.append(try Definition.load(path: file.path, displayPath: display(file))) } catch {
                if names.isEmpty { throw error }
                broken.append((file.deletingPathExtension().lastPathComponent, error))
            }
        }
        var seen: [String: String] = [:]
        for d in all {
            if let other = seen.updateValue(d.file, forKey: d.name) {
                throw DefinitionError(file: d.file, "defines '\(d.name)', as \(other) does already; definition names must be unique (they name the export folders)")
            }
        }
        if names.isEmpty {
            if all.isEmpty {
                throw DefinitionError(file: display(root.appendingPathComponent("segmentations")),
                                      "holds no definitions (*.yaml); add one")
            }
            return all
        }
        var unique: [String] = []
        for n in names where !unique.contains(n) { unique.append(n) }
        return try unique.map { n in
            guard let d = all.first(where: { $0.name == n }) else {
                // The file meant is probably the broken one of that name: its own error says what to fix.
                if let b = broken.first(where: { $0.base == n }) { throw b.error }
                let unreadable = broken.isEmpty ? ""
                    : "; these files could not be read and may define it: \(broken.map { "\($0.error)" }.joined(separator: "; "))"
                throw DefinitionError(file: display(root.appendingPathComponent("segmentations")),
                                      "has no definition named '\(n)'; available: \(all.map(\.name).joined(separator: ", "))\(unreadable)")
            }
            return d
        }
    }

    /// A path as the user should see it: relative to the current directory when inside it.
    public func display(_ url: URL) -> String { Self.display(url) }

    /// A path as the user should see it: relative to the current directory when inside it (`.` for it).
    public static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let p = url.standardizedFileURL.path
        if p == cwd { return "." }
        return p.hasPrefix(cwd + "/") ? String(p.dropFirst(cwd.count + 1)) : p
    }

    /// `exports/`: the one place every export folder lives under.
    public var exportsDirectory: URL { root.appendingPathComponent("exports", isDirectory: true) }

    /// `exports/<definition>/<folder>/`: a run's folder (folder = its run id), or a diff's (`diffs/<v1>-<v2>`).
    public func exportDirectory(definition: String, folder: String) -> URL {
        exportsDirectory.appendingPathComponent(definition, isDirectory: true).appendingPathComponent(folder, isDirectory: true)
    }

    /// `workspace.yaml` as the user should see it (for messages).
    public var configDisplay: String { display(root.appendingPathComponent("workspace.yaml")) }
}
