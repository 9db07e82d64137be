import Foundation
import LuaHost
import SegworkData

extension History {
    /// What `seg run --verify` found.
    public struct Verification: Sendable {
        /// The version re-executed.
        public var version: VersionRecord
        /// True when membership and profiles came out byte-identical (for a version recorded by another Segwork
        /// release: identical but for the fields that release did not record, see `Difference.Kind.format`).
        public var identical: Bool
        /// What differs: outputs, and the inputs that changed (which explain them), and plugins edited since.
        public var differences: [Difference]
        /// Erasures (`seg forget`) that changed the version; when there are any it is not re-executed.
        public var erasedBy: [ErasureRecord] = []

        /// What to say instead of a comparison when erasures changed the version, nil otherwise.
        public var erasureNote: String? {
            guard let last = erasedBy.last else { return nil }
            let which = erasedBy.map { "\($0.id) of \($0.startedAt)" }.joined(separator: ", ")
            return "\(version.id) (\(version.definition), run \(version.runID)) was changed by \(which)"
                + ": customers were removed from its stored membership and input snapshots, so it cannot reproduce its "
                + "original bytes and was not re-executed; its profiles are as the run computed them"
                + (last.completedAt == nil ? ". \(last.id) is incomplete: run `seg forget` again to complete it" : "")
        }
    }

    /// One thing `verify` found different.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// What differs.
        public enum Kind: Sendable, Equatable {
            /// A plugin's or module's file changed since the version. The version ran with its stored source, so
            /// this alone changes no output.
            case plugin
            /// A plugin's effective parameter (what `prepare` computed) came out differently.
            case parameter
            /// A dataset came out differently (a source plugin emitted other records).
            case dataset
            /// A file a source plugin read has other bytes than when the version ran.
            case sourceFile
            /// The version was recorded by another Segwork release, whose run record lacks fields this one writes.
            case format
            /// The membership bytes.
            case membership
            /// The profiles bytes.
            case profiles
            /// The run id (an input, plugin, parameter or the definition changed).
            case runID
            /// A file kept with the version (cleaning report, rejects, report data) came out differently.
            case storedFile
        }
        /// What differs.
        public var kind: Kind
        /// The message shown to the user.
        public var description: String
        /// True when an output differs, so the version did not reproduce.
        public var isOutput: Bool { [.membership, .profiles, .runID, .storedFile].contains(kind) }
    }

    /// Re-executes a stored version as it was: its stored definition text over the stored snapshots of its
    /// datasets, with the plugin and module sources stored with it (not today's files), the same reference date,
    /// seed and clock, and compares the outputs byte for byte. When they differ, the inputs that changed are named:
    /// a dataset a source plugin made (and which file it read changed), an effective parameter; plugins whose files
    /// were edited since are reported too. A version an erasure changed is not re-executed: the result names the
    /// erasures (`erasedBy`, `erasureNote`).
    public func verify(_ v: VersionRecord, progress: ReadProgress? = nil) throws -> Verification {
        let erasures = try store.erasures(affecting: v.number)
        if !erasures.isEmpty { return Verification(version: v, identical: false, differences: [], erasedBy: erasures) }
        let def = try Self.definition(of: v)
        var files: [String: URL] = [:]
        var names: [String: String] = [:]
        for input in v.inputs where !input.file.hasPrefix("plugin:") {
            var ext = input.postgres != nil ? "csv" : (input.file as NSString).pathExtension
            if input.file.hasPrefix("dataset:"),
               let imported = try store.datasetVersions(name: String(input.file.dropFirst("dataset:".count))).last(where: { $0.sha256 == input.sha256 }) {
                ext = (imported.snapshot as NSString).pathExtension
                names[input.name] = imported.file
            }
            guard let url = store.snapshotURL(sha256: input.sha256, extension: ext) else {
                throw StoreError.corrupted(path: ".seg/datasets",
                                           detail: "the snapshot of dataset '\(input.name)' (sha256 \(input.sha256.prefix(12))…) used by \(v.id) is missing")
            }
            files[input.name] = url
        }
        let stored = try StoredPlugins(version: v, store: store, workspace: workspace)
        defer { stored.remove() }
        // The stored report says how the version hashed and suppressed; the re-run does the same.
        let recordedReport = try Self.report(of: v)
        let recorded = recordedReport.run.privacy
        let privacy = PrivacyOptions(hashIDs: recorded?.hashedIDs ?? false, minGroupSize: recorded?.minGroupSize)
        var options = RunOptions(asOf: CivilDate(iso: Substring(v.asOf)), datasetFiles: files, privacy: privacy,
                                 progress: progress)
        options.datasetNames = names
        options.recordedInputs = recordedReport.run.inputs
        options.ruleChecks = false  // notes are not compared, and the sweep would only cost time
        options.layoutOf = v.segworkVersion  // an older release's membership had no criterion columns
        // It compares with the version the recorded run compared with.
        let previous = try recordedReport.run.previous.map { try load($0) }
        options.prior = PriorLookup { _ in previous }
        let result = try Runner(workspace: workspace, catalog: stored.catalog).run(def, options: options)
        progress?.finish()
        var diffs = stored.edited.map { Difference(kind: .plugin, description: $0) }
        var report = result.report
        if v.segworkVersion != segworkVersion {
            // An older release recorded less about each run; compare what it recorded.
            report = Self.asRecordedBy(recordedReport.run, report)
            if recordedReport.scorecard == nil { report.scorecard = nil }  // before 0.3.0
            diffs.append(Difference(kind: .format, description: "\(v.id) was recorded by Segwork \(v.segworkVersion) and re-executed by \(segworkVersion); the run record is compared without the fields \(v.segworkVersion) did not write, and the run id is not compared"))
        }
        diffs += Self.inputChanges(recordedReport.run, result.report.run, workspace: workspace, version: v.id)
        if result.membership != v.membershipCSV { diffs.append(Difference(kind: .membership, description: "membership differs from \(v.id)")) }
        if !VersionStore.keepsFiles(v.segworkVersion) {
            // Before 0.4.0 profiles.json had format 1: no sd, drivers or descriptions (and no "sd": null to compare
            // bytes with). The content is compared: what the re-execution computes of what the version recorded.
            // Both are written by this Segwork's encoder (a parameter read back from JSON may be an integer where the
            // run had a double: the same text, another value).
            if Exporter.json(Self.asFormatOne(report)) != Exporter.json(recordedReport) {
                diffs.append(Difference(kind: .profiles, description: "profiles differ from \(v.id)"))
            }
        } else if Exporter.json(report) != v.profilesJSON {
            diffs.append(Difference(kind: .profiles, description: "profiles differ from \(v.id)"))
        }
        // notes.txt says what the run noticed (lock warnings among them): not an output a re-execution must repeat.
        for (name, bytes) in try store.files(of: v).sorted(by: { $0.key < $1.key })
        where name != Runner.notesFile && result.storedFiles[name] != bytes {
            diffs.append(Difference(kind: .storedFile, description: "\(name) differs from the one kept with \(v.id)"))
        }
        if v.segworkVersion == segworkVersion, result.report.run.runID != v.runID {
            diffs.append(Difference(kind: .runID, description: "run id \(result.report.run.runID) differs from \(v.runID)"))
        }
        diffs += Self.databaseChanges(recordedReport.run.inputs, version: v.id)
        return Verification(version: v, identical: !diffs.contains(where: \.isOutput), differences: diffs)
    }

    /// For each PostgreSQL dataset: whether the database still returns the rows the version read. The version was
    /// re-executed from its snapshot either way; this says whether a new run would read the same.
    static func databaseChanges(_ inputs: [InputInfo], version: String,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> [Difference] {
        var out: [Difference] = []
        for input in inputs {
            guard let pg = input.postgres else { continue }
            let said = "dataset '\(input.name)' (PostgreSQL, \(input.file.dropFirst("postgres:".count)))"
            do {
                let connection = try DatasetStage.connect(PostgresSpec(urlEnv: pg.urlEnv, query: pg.sql), dataset: input.name,
                                                          environment: environment)
                defer { connection.close() }
                var hash = SHA256()
                _ = try connection.copyCSV(pg.sql) { hash.update(bytes: $0) }
                let now = hash.hexDigest()
                if now != input.sha256 {
                    out.append(Difference(kind: .dataset, description: "\(said): the database now returns different rows than \(version) read (sha256 \(input.sha256.prefix(12))… then, \(now.prefix(12))… now; or the same rows in another order: give the query an ORDER BY); \(version) was re-executed from its snapshot"))
                }
            } catch {
                out.append(Difference(kind: .dataset, description: "\(said): could not ask the database whether it still returns the rows \(version) read (\(ExitStatus.message(for: error))); \(version) was re-executed from its snapshot"))
            }
        }
        return out
    }

    /// `r` as export format 1 had it (Segwork before 0.4.0): no standard deviations, drivers or descriptions.
    static func asFormatOne(_ r: ProfileReport) -> ProfileReport {
        var out = r
        out.formatVersion = 1
        func strip(_ p: inout SegmentProfile) {
            p.drivers = nil; p.description = nil
            for i in p.numeric.indices { p.numeric[i].sd = nil }
        }
        strip(&out.population)
        for i in out.segments.indices { strip(&out.segments[i]) }
        return out
    }

    /// `now` with the run fields an older release did not record taken from `recorded` (run id, Segwork version)
    /// or dropped (plugin libraries and modules, files read by sources).
    static func asRecordedBy(_ recorded: RunInfo, _ now: ProfileReport) -> ProfileReport {
        var out = now
        out.run.runID = recorded.runID
        out.run.segworkVersion = recorded.segworkVersion
        out.run.inputsID = recorded.inputsID
        out.run.previous = recorded.previous
        for i in out.run.plugins.indices {
            let old = recorded.plugins.first { $0.name == out.run.plugins[i].name }
            if old?.library == nil { out.run.plugins[i].library = nil }
            if old?.modules == nil { out.run.plugins[i].modules = nil }
        }
        for i in out.run.inputs.indices where recorded.inputs.first(where: { $0.name == out.run.inputs[i].name })?.reads == nil {
            out.run.inputs[i].reads = nil
        }
        return out
    }

    /// The inputs of a re-execution that differ from the recorded ones, each said with what changed: datasets a
    /// source plugin made (and the files it read), and effective parameters.
    static func inputChanges(_ recorded: RunInfo, _ now: RunInfo, workspace: Workspace, version: String) -> [Difference] {
        var out: [Difference] = []
        for old in recorded.inputs {
            guard let new = now.inputs.first(where: { $0.name == old.name }), new.sha256 != old.sha256 || new.rows != old.rows else { continue }
            out.append(Difference(kind: .dataset, description: "dataset '\(old.name)' (\(old.file)) came out differently: \(old.rows) rows, sha256 \(old.sha256.prefix(12))… then; \(new.rows) rows, sha256 \(new.sha256.prefix(12))… now"))
            for read in old.reads ?? [] {
                let current = (try? SHA256.hex(fileAt: workspace.resolve(read.file).path)) ?? "missing"
                if current != read.sha256 {
                    out.append(Difference(kind: .sourceFile, description: "file \(read.file), read by source plugin '\(old.file.dropFirst("plugin:".count))' for dataset '\(old.name)', changed since \(version): sha256 \(read.sha256.prefix(12))… → \(current == "missing" ? "(missing)" : current.prefix(12) + "…")"))
                }
            }
        }
        // Plugins are recorded in definition order, so they pair by position (two plugins of one name from two
        // libraries stay apart); by name and library when the lists differ.
        let pairs: [(PluginInfo, PluginInfo)] = recorded.plugins.count == now.plugins.count
            && zip(recorded.plugins, now.plugins).allSatisfy({ $0.name == $1.name && $0.kind == $1.kind })
            ? Array(zip(recorded.plugins, now.plugins))
            : recorded.plugins.compactMap { old in
                now.plugins.first(where: { $0.name == old.name && $0.kind == old.kind && (old.library == nil || $0.library == old.library) }).map { (old, $0) }
            }
        for (old, new) in pairs {
            for key in Set(old.params.keys).union(new.params.keys).sorted()
            where old.params[key].map(canonical) != new.params[key].map(canonical) {
                out.append(Difference(kind: .parameter, description: "plugin '\(old.name)' parameter '\(key)' was \(old.params[key].map { canonical($0) } ?? "(absent)") and is now \(new.params[key].map { canonical($0) } ?? "(absent)") (prepare computed it from the data)"))
            }
        }
        return out
    }
}
