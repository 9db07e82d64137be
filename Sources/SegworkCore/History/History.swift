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
    public static func report(of v: VersionRecord) throws -> ProfileReport { try report(profiles: v.profilesJSON, of: v.id) }

    /// The report in a version's stored `profiles.json` bytes.
    static func report(profiles: Data, of id: String) throws -> ProfileReport {
        do { return try JSONDecoder().decode(ProfileReport.self, from: profiles) } catch {
            throw StoreError.corrupted(path: ".seg/store.sqlite", detail: "the profiles of \(id) cannot be read (\(error))")
        }
    }

    /// The definition stored with a version, parsed again.
    public static func definition(of v: VersionRecord) throws -> Definition {
        try Definition.parse(text: v.definitionText, file: "\(v.id):segmentations/\(v.definition).yaml", defaultName: v.definition)
    }

    /// Score column names of a version: the membership header after the id, `segment`, the criterion columns (a
    /// definition with two or more criteria recorded by Segwork 0.4.0 or later: `MembershipLayout`) and before the
    /// definition's `membership.columns`. Both come from the version's stored definition and Segwork version.
    public static func scoreColumns(of v: VersionRecord) -> [String] {
        let header = v.membershipCSV.prefix { $0 != 10 }
        let names = String(decoding: header, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
        let def = try? definition(of: v)
        let criteria = def.map { MembershipLayout(definition: $0, segworkVersion: v.segworkVersion).columns.count } ?? 0
        // Columns after the scores are the definition's `membership.columns`.
        let extra = def?.membershipColumns.count ?? 0
        return names.dropFirst(2 + criteria).dropLast(extra).map(String.init)
    }

    /// Evaluates a version's gates (from its stored definition), with drift against its baseline: the most recent
    /// earlier version of the same definition that passed its gates or was approved (see `checkGates`).
    public func gates(for v: VersionRecord) throws -> (results: [GateResult], drift: Double?) {
        let check = try checkGates(v)
        return (check.results, check.drift)
    }
}
