/// A loaded plugin: its own sandboxed Lua state, its validated manifest and its functions.
/// Not thread-safe: use one `Plugin` per thread (load the same file again for another thread).
///
/// Lifecycle: `load` → `configure(overrides:)` → optional `prepare(stats:)` → any number of
/// `assign`, `score` or `read` calls.
public final class Plugin {
    /// The validated manifest.
    public let manifest: PluginManifest
    /// The file it was loaded from.
    public let path: String

    /// Loads and validates the plugin in `path` in a fresh sandbox. Throws `PluginError` naming the file
    /// and the field when the file does not return a valid plugin table.
    public static func load(path: String, environment: PluginEnvironment = PluginEnvironment()) throws -> Plugin {
        fatalError("LuaHost: Plugin.load not implemented yet")
    }

    /// Merges `overrides` over the manifest's `params` defaults and makes the result the `p` table for all
    /// later calls. An override the plugin does not declare, or whose type differs from its default's,
    /// throws `.badParam`. (An integer override for a float default is accepted.)
    public func configure(overrides: [String: PluginValue]) throws {
        fatalError("unimplemented")
    }

    /// Calls `prepare(stats, p)` once, if the plugin has it. If it returns a table, its fields are merged
    /// into `p`.
    public func prepare(stats: [String: ColumnStatistics]) throws {
        fatalError("unimplemented")
    }

    /// The `p` table as it stands now (defaults, overrides, and whatever `prepare` added), as plain data.
    public func effectiveParams() throws -> [String: PluginValue] {
        fatalError("unimplemented")
    }

    /// Calls `assign(row, p)` for each of `rowCount` rows. `row` holds exactly the fields in `columns`
    /// (a missing value is nil). A return that is neither a string nor nil throws `.badReturn` with the row.
    public func assign(columns: [ColumnInput], rowCount: Int) throws -> LabelAssignment {
        fatalError("unimplemented")
    }

    /// Calls `score(row, p)` for each of `rowCount` rows. A return that is neither a number nor nil throws
    /// `.badReturn` with the row.
    public func score(columns: [ColumnInput], rowCount: Int) throws -> ScoreColumn {
        fatalError("unimplemented")
    }

    /// Calls a source's `read(src, p)` and collects what it emits.
    public func read() throws -> SourceOutput {
        fatalError("unimplemented")
    }

    private init(manifest: PluginManifest, path: String) {
        self.manifest = manifest; self.path = path
    }
}
