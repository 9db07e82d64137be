import Foundation
import SegworkData

/// What to run: the request `seg run` makes, and that an app embedding Segwork makes the same way.
public struct RunRequest: Sendable {
    /// Definitions to run, by name; empty runs every definition in `segmentations/`.
    public var definitions: [String]
    /// The reference date (default: each definition's `as_of`, else its latest transaction date).
    public var asOf: CivilDate?
    /// Profile formats to write (default: each definition's `exports`). `membership.csv` is always written.
    public var formats: [ExportFormat]?
    /// Replace customer ids in membership with salted hashes (also when workspace.yaml sets `privacy.hash_ids`).
    public var hashIDs: Bool
    /// Progress reporter, or nil for none.
    public var progress: ReadProgress?
    /// What the lock file names as its holder while the run holds the workspace (e.g. the command line).
    public var holder: String
    /// Refuse to run when the plugins differ from `plugins.lock` (`seg run` sets it under `--ci` / `CI=true`);
    /// otherwise a difference is a warning in each run's notes.
    public var strictLock = false

    /// Creates a request.
    public init(definitions: [String] = [], asOf: CivilDate? = nil, formats: [ExportFormat]? = nil,
                hashIDs: Bool = false, progress: ReadProgress? = nil, holder: String = "seg run", strictLock: Bool = false) {
        self.definitions = definitions; self.asOf = asOf; self.formats = formats
        self.hashIDs = hashIDs; self.progress = progress; self.holder = holder; self.strictLock = strictLock
    }
}

/// One definition's outcome of a run: its computed result, the version it is, and its gates.
public struct RunOutcome: Sendable {
    /// The computed run (profiles, membership, export folder).
    public var result: RunResult
    /// The version the run is: a new one, or the latest version of the definition when the run repeats it.
    public var version: VersionRecord
    /// False when the run repeated the latest version of its definition (same run id, same bytes): nothing new
    /// was stored (docs/STORE.md, "Re-running").
    public var isNew: Bool
    /// The definition's gates, judged against the baseline (the last version that passed or was approved).
    public var gates: GateCheck
    /// How the plugins the run used differ from `plugins.lock` (a local run goes on; the same lines are in its notes).
    public var lockWarnings: [String] = []
    /// True unless a gate failed and the version was not approved (`seg run` then exits 3).
    public var gatesPassed: Bool { !gates.failed }
}

extension History {
    /// Runs definitions of `workspace` as one transaction, all or nothing:
    /// 1. takes the workspace's write lock (failing fast when another process holds it or the folder is read-only)
    ///    and removes export folders a killed run left behind;
    /// 2. computes every definition; a failure in any stores and writes nothing;
    /// 3. stages every export folder, stores every version, then renames the folders into place; a failure before
    ///    the last step leaves `exports/` and the store as they were;
    ///    (a run that repeats the latest version of its definition stores nothing: `RunOutcome.isNew` is false);
    /// 4. each version's gates are judged against its baseline when it is stored. A failed gate does not undo the
    ///    run: the outcome says so.
    ///
    /// The caller decides about signals: `seg` installs `Interruption.shared` first, so SIGINT/SIGTERM remove
    /// staged folders and say what was kept.
    ///
    /// This is the one entry point for a run: `seg run` is a thin layer over it.
    public static func run(_ workspace: Workspace, _ request: RunRequest) throws -> [RunOutcome] {
        let ws = workspace
        // A missing salt is a usage error before any work (no lock, no store, no data read).
        if request.hashIDs || ws.privacy.hashIDs { _ = try ws.privacy.hasher(file: ws.configDisplay) }
        let history = try History(workspace: ws, create: true)
        let lock = try history.store.lockForWriting(command: request.holder)
        defer { lock.release() }
        // An interrupted erasure left customers it was asked to remove in the store: complete it before storing more.
        try history.requireCompleteErasures(workspace: ws.display(ws.root))
        // Holding the lock, nothing else writes: folders left by a killed run are leftovers.
        AtomicWriter.recoverLeftovers(under: ws.exportsDirectory)

        let runner = Runner(workspace: ws)
        let defs = try ws.definitions(named: request.definitions)
        // Checked for every definition before any is computed: under CI a plugin that differs from plugins.lock stops
        // the whole run at once.
        let pluginLock = try PluginLock.read(ws)
        var lockWarnings = try defs.map { try pluginLock?.enforce(ws, definitions: [$0], strict: request.strictLock) ?? [] }
        let privacy = request.hashIDs ? PrivacyOptions(hashIDs: true, minGroupSize: ws.privacy.minGroupSize) : nil
        // Input files are copied into the store while the run computes; copies not stored are removed on the way out.
        let prefetch = SnapshotPrefetch(store: history.store)
        defer { prefetch.discardAll() }
        var results = try zip(defs, lockWarnings).map { def, warnings in
            var options = RunOptions(asOf: request.asOf, formats: request.formats,
                                     datasetFiles: try history.importedFiles(for: def), privacy: privacy,
                                     progress: request.progress)
            options.datasetNames = try history.importedNames(for: def)  // errors name the user's file, not the snapshot
            options.prior = PriorLookup { try history.priorVersion(definition: def.name, inputsID: $0) }
            options.inputsRead = { files, inputs in prefetch.start(files: files, inputs: inputs) }
            var result = try runner.run(def, options: options)
            result.notes = warnings + result.notes
            return result
        }
        // Under CI, a workspace that uses shared libraries but has no lock runs whatever files are there: say so.
        if request.strictLock, pluginLock == nil,
           ws.libraries.contains(where: { if case .listed = $0.origin { return true }; return false }) {
            let note = "no plugins.lock: this CI run used the library files as they are; run `seg plugins lock \(ws.display(ws.root))` and commit plugins.lock to have CI refuse unreviewed plugin changes"
            for i in results.indices { results[i].notes.insert(note, at: 0) }
        }
        // What the runs really loaded (a module required at run time under a computed name, say) against the lock,
        // before anything is stored.
        if let pluginLock {
            let file = ws.display(ws.root.appendingPathComponent(PluginLock.fileName))
            for i in results.indices {
                let drifts = pluginLock.drifts(recorded: results[i].report.run.plugins)
                if drifts.isEmpty { continue }
                if request.strictLock { throw LockMismatch(file: file, drifts: drifts) }
                if !lockWarnings[i].isEmpty { continue }  // already warned, from the files
                let lines = drifts.map { "\(file): \($0) (under CI this is refused)" }
                lockWarnings[i] += lines
                results[i].notes = lines + results[i].notes
            }
        }
        request.progress?.begin("writing exports and storing \(results.count == 1 ? "the version" : "\(results.count) versions")")
        var staged: [AtomicWriter.StagedDirectory] = []
        var recorded: [RecordedRun] = []
        do {
            let erased = try history.erasedRunIDs()
            for r in results {
                let changed = erased.contains(r.report.run.runID) || r.report.run.previous.map { erased.contains($0.version) } == true
                staged.append(try runner.stage(r, erased: changed))
            }
            for r in results { recorded.append(try history.recordRun(r, prefetch: prefetch)) }
        } catch {
            staged.forEach { $0.discard() }
            throw error
        }
        for (s, rec) in zip(staged, recorded) { try s.commit(exporting: rec.version.id) }
        request.progress?.finish()
        return zip(zip(results, recorded), lockWarnings).map { pair, warnings in
            RunOutcome(result: pair.0, version: pair.1.version, isNew: pair.1.isNew, gates: pair.1.gates, lockWarnings: warnings)
        }
    }

    /// Writes a stored version's files again, atomically, and returns the folder and the file names in it
    /// (`formats` empty: all four): the profiles, `report.html` with `report-data.json`, and (with `withData`)
    /// `membership.csv`, `cleaning.json` and `rejects.csv`, all from the store, with the bytes the run wrote. The default
    /// folder is the run's own (`exports/<definition>/<run id>/`; its other files are kept); hashing ids that the
    /// run did not hash goes to `<run id>-hashed-ids/` instead, so the run's folder only ever holds that run's bytes.
    public func export(_ v: VersionRecord, formats: [ExportFormat], hashIDs: Bool,
                       to out: URL? = nil, withData: Bool = true) throws -> (directory: URL, files: [String]) {
        let report = try History.report(of: v)
        // Without the data (`seg report`) nothing holds an id: no salt is needed.
        let hasher = withData ? try exportHasher(for: [v], requested: hashIDs) : nil
        var files = try Exporter.files(report, formats: formats.isEmpty ? ExportFormat.allCases : formats,
                                       stored: try store.files(of: v), storedJSON: v.profilesJSON)
        if withData {
            files["membership.csv"] = hasher.map { $0.hashMembership(v.membershipCSV) } ?? v.membershipCSV
        } else {
            for name in ["cleaning.json", "notes.txt", "rejects.csv"] { files[name] = nil }
        }
        let ranHashed = report.run.privacy?.hashedIDs ?? false
        let dir = out ?? workspace.exportDirectory(definition: v.definition,
                                                   folder: hasher != nil && !ranHashed ? "\(v.runID)-hashed-ids" : v.runID)
        if out == nil { try AtomicWriter.checkNoLinkOutside(dir, root: workspace.root) }
        try (out == nil ? AtomicWriter.stageKeepingExisting(files, in: dir, preferExisting: true) : AtomicWriter.stage(files, to: dir)).commit()
        let written = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? Array(files.keys)
        return (dir, written.sorted(by: ByteOrder.less))
    }
}

extension History {
    /// Run ids of versions an erasure (`seg forget`) changed: their export folders and stored membership no longer
    /// hold what their inputs hold, so a run with one of these ids is stored and exported anew.
    /// Version ids are included too (`v3`): a run comparing with an erased version counts its migration from a
    /// membership that lost customers, so its report may differ from the one its run id wrote before.
    func erasedRunIDs() throws -> Set<String> {
        var out: Set<String> = []
        for v in try store.versionSummaries(definition: nil) where !(try store.erasures(affecting: v.number)).isEmpty {
            out.insert(v.runID)
            out.insert(v.id)
        }
        return out
    }
}
