import Foundation
import LuaHost
import SegworkData

/// A workspace's history: turns computed runs into stored versions, resolves imported datasets, checks gates
/// and re-executes stored versions. The CLI's history commands are thin layers over this.
public struct History {
    /// The workspace.
    public let workspace: Workspace
    /// Its version store.
    public let store: VersionStore

    /// Opens the history of `workspace`; `create` makes `.seg/` when missing.
    public init(workspace: Workspace, create: Bool) throws {
        self.workspace = workspace
        self.store = try VersionStore.open(workspace: workspace.root, create: create)
    }

    /// Files to read for datasets declared with `dataset: NAME`: the latest snapshot of each imported name.
    public func importedFiles(for definition: Definition) throws -> [String: URL] {
        var out: [String: URL] = [:]
        for spec in definition.datasets {
            guard let name = spec.imported else { continue }
            guard let latest = try store.latestDataset(name: name),
                  case let url = store.directory.appendingPathComponent(latest.snapshot),
                  FileManager.default.fileExists(atPath: url.path) else {
                let known = Set(try store.datasetVersions().map(\.name)).sorted()
                throw DefinitionError(file: definition.file, line: spec.line,
                                      "dataset '\(spec.name)' reads the imported dataset '\(name)', which has not been imported; run `seg import \(workspace.display(workspace.root)) \(name) <file>`" + (known.isEmpty ? "" : " (imported: \(known.joined(separator: ", ")))"))
            }
            out[spec.name] = url
        }
        return out
    }

    /// For datasets declared with `dataset: NAME`: the file name given to `seg import` for the latest version,
    /// which errors about its snapshot name (`RunOptions.datasetNames`).
    public func importedNames(for definition: Definition) throws -> [String: String] {
        var out: [String: String] = [:]
        for spec in definition.datasets {
            guard let name = spec.imported, let latest = try store.latestDataset(name: name) else { continue }
            out[spec.name] = latest.file
        }
        return out
    }

    /// Stores a computed run as an immutable version (see `recordRun`, which also says whether it was new and
    /// what its gates said): a run that repeats the latest version of its definition stores nothing and returns
    /// that version.
    package func record(_ r: RunResult) throws -> VersionRecord {
        try recordRun(r).version
    }

    /// The report stored with a version.
    public static func report(of v: VersionRecord) throws -> ProfileReport {
        do { return try JSONDecoder().decode(ProfileReport.self, from: v.profilesJSON) } catch {
            throw StoreError.corrupted(path: ".seg/store.sqlite",
                                       detail: "the profiles of \(v.id) cannot be read (\(error))")
        }
    }

    /// The definition stored with a version, parsed again.
    public static func definition(of v: VersionRecord) throws -> Definition {
        try Definition.parse(text: v.definitionText, file: "\(v.id):segmentations/\(v.definition).yaml", defaultName: v.definition)
    }

    /// Score column names of a version (the membership header after id and segment).
    public static func scoreColumns(of v: VersionRecord) -> [String] {
        let header = v.membershipCSV.prefix { $0 != 10 }
        let names = String(decoding: header, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
        return names.dropFirst(2).map(String.init)
    }

    /// Evaluates a version's gates (from its stored definition), with drift against its baseline: the most recent
    /// earlier version of the same definition that passed its gates or was approved (see `checkGates`).
    public func gates(for v: VersionRecord) throws -> (results: [GateResult], drift: Double?) {
        let check = try checkGates(v)
        return (check.results, check.drift)
    }

    /// What `seg run --verify` found.
    public struct Verification: Sendable {
        /// The version re-executed.
        public var version: VersionRecord
        /// True when membership and profiles came out byte-identical.
        public var identical: Bool
        /// What differs (outputs, and plugins whose files changed since).
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
            /// A plugin's file changed since the version (the outputs may still be identical).
            case plugin
            /// The membership bytes.
            case membership
            /// The profiles bytes.
            case profiles
            /// The run id (an input, plugin, parameter or the definition changed).
            case runID
        }
        /// What differs.
        public var kind: Kind
        /// The message shown to the user.
        public var description: String
        /// True when an output differs, so the version did not reproduce.
        public var isOutput: Bool { kind != .plugin }
    }

    /// Re-executes a stored version: its stored definition text over the stored snapshots of its datasets, with
    /// the same reference date, seed and clock, and compares the outputs byte for byte. Plugins are the workspace's
    /// current files; any whose hash differs from the version's is reported. A version an erasure changed is not
    /// re-executed: the result names the erasures (`erasedBy`, `erasureNote`).
    public func verify(_ v: VersionRecord, progress: ReadProgress? = nil) throws -> Verification {
        let erasures = try store.erasures(affecting: v.number)
        if !erasures.isEmpty { return Verification(version: v, identical: false, differences: [], erasedBy: erasures) }
        let def = try Self.definition(of: v)
        var files: [String: URL] = [:]
        var names: [String: String] = [:]
        for input in v.inputs where !input.file.hasPrefix("plugin:") {
            var ext = (input.file as NSString).pathExtension
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
        // The stored report says how the version hashed and suppressed; the re-run does the same.
        let recorded = try Self.report(of: v).run.privacy
        let privacy = PrivacyOptions(hashIDs: recorded?.hashedIDs ?? false, minGroupSize: recorded?.minGroupSize)
        var options = RunOptions(asOf: CivilDate(iso: Substring(v.asOf)), datasetFiles: files, privacy: privacy,
                                 progress: progress)
        options.datasetNames = names
        let result = try Runner(workspace: workspace).run(def, options: options)
        progress?.finish()
        var diffs: [Difference] = []
        for p in v.plugins {
            if let now = result.report.run.plugins.first(where: { $0.name == p.name }), now.sha256 != p.sha256 {
                diffs.append(Difference(kind: .plugin, description: "plugin '\(p.name)' changed since \(v.id): sha256 \(p.sha256.prefix(12))… → \(now.sha256.prefix(12))…"))
            }
        }
        if result.membership != v.membershipCSV { diffs.append(Difference(kind: .membership, description: "membership differs from \(v.id)")) }
        if Exporter.json(result.report) != v.profilesJSON { diffs.append(Difference(kind: .profiles, description: "profiles differ from \(v.id)")) }
        if result.report.run.runID != v.runID {
            diffs.append(Difference(kind: .runID, description: "run id \(result.report.run.runID) differs from \(v.runID)"))
        }
        let identical = !diffs.contains(where: \.isOutput)
        return Verification(version: v, identical: identical, differences: diffs)
    }
}
