import CLuaSupport

/// What a plugin declares and does that libraries, locks and run records need: its semantic version, the host API
/// level, the modules it required and the files a source read.
extension PluginManifest {
    /// The declared `version` as a semantic version (`"1"` reads as 1.0.0); the validator refuses any other.
    public var semanticVersion: SemanticVersion? { SemanticVersion(lenient: version) }
}

extension Plugin {
    /// The highest host API level this host provides (`seg.api`); levels only ever add, so every lower one works too.
    public static let hostAPILevel = ManifestValidator.supportedAPI
}

extension Plugin {
    /// The modules the plugin has loaded with `require` so far (at load time: those its file requires at the top
    /// level, and theirs), by module name, sorted.
    public var requiredModules: [String] { state.keys(ofSlot: Int32(SW_SLOT_REQUIRE)) }

    /// The files a source's `read` opened with `src:lines`, as it named them (paths inside the workspace), sorted.
    public var filesRead: [String] { state.keys(ofSlot: Int32(SW_SLOT_READ_FILES)) }
}

extension Plugin {
    /// Whether the plugin's `seg.log` / `print` lines are dropped: set while it is called on values that are not the
    /// user's data (a rule-set sweep), whose messages would read as facts about the data.
    public var logMuted: Bool {
        get { state.sink.muted }
        set { state.sink.muted = newValue }
    }
}
