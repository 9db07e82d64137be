import Foundation
import SegworkData

extension Erasure {
    /// Removes the erasure's customers from every export folder under `exports/<definition>/`:
    /// - `membership.csv`: rows whose id (or, in a hashed export, whose hashed id) matches;
    /// - `rejects.csv`: rows naming a (dataset, line) whose record an erasure removed from the snapshot that run read;
    /// - `diffs/<a>-<b>/`: removed when version a or b was changed by this erasure (a diff lists movers by id and
    ///   counts them; `seg diff` writes it again from the changed versions).
    /// Each changed folder is rewritten atomically (`AtomicWriter`); other files (profiles, cleaning.json) are kept
    /// as they are. Folders outside `exports/` (`seg export --out`, `seg diff --out`) are not known to the workspace.
    func eraseExports(_ erasure: Int, _ matcher: ErasureMatcher, _ found: inout [Int], _ counts: inout ErasureCounts) throws {
        let exports = workspace.exportsDirectory
        let changed = try store.versionsChanged(by: erasure)
        var byRun: [String: VersionSummary] = [:]
        for s in try store.versionSummaries() { byRun[s.runID] = s }
        for definition in Self.folders(in: exports) {
            let dir = exports.appendingPathComponent(definition)
            for name in Self.folders(in: dir) {
                let folder = dir.appendingPathComponent(name)
                if name == "diffs" {
                    for diff in Self.folders(in: folder) where Self.diffTouches(diff, changed) {
                        try Self.removeFolder(folder.appendingPathComponent(diff))
                        counts.diffFolders += 1
                    }
                    continue
                }
                let runID = name.hasSuffix("-hashed-ids") ? String(name.dropLast("-hashed-ids".count)) : name
                var files = try Self.readFolder(folder)
                var removed = 0
                if let membership = files["membership.csv"] {
                    let r = RecordFilter.delimited(membership, delimiter: UInt8(ascii: ",")) { _, fields in
                        fields.first.flatMap(matcher.membershipID)
                    }
                    if !r.removed.isEmpty {
                        files["membership.csv"] = r.data
                        removed += r.removed.count
                        for x in r.removed { found[x.key] += 1 }
                    }
                }
                if let rejects = files["rejects.csv"], let version = byRun[runID] {
                    var lines: [String: Set<Int>] = [:]
                    for input in version.inputs { lines[input.name] = try store.erasedLines(ofSnapshot: input.sha256) }
                    let r = VersionStore.filterRejects(rejects, erasedLines: lines)
                    if !r.removed.isEmpty { files["rejects.csv"] = r.data; removed += r.removed.count }
                }
                guard removed > 0 else { continue }
                do { try AtomicWriter.writeDirectory(files, to: folder) } catch {
                    throw StoreError.io(operation: "rewrite the export folder", path: workspace.display(folder), message: "\(error)")
                }
                counts.exportFolders += 1
                counts.exportRows += removed
            }
        }
    }

    /// Visible sub-folders of `url`, sorted (hidden ones are a writer's temporary folders).
    static func folders(in url: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDir)
                && isDir.boolValue
        }.sorted()
    }

    /// Whether a diff folder named `v<a>-v<b>` compares a version in `changed`.
    static func diffTouches(_ name: String, _ changed: Set<Int>) -> Bool {
        let parts = name.split(separator: "-")
        return parts.contains { part in part.first == "v" && Int(part.dropFirst()).map(changed.contains) == true }
    }

    /// Every regular file below `folder`, by relative path.
    static func readFolder(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return files }
        for case let relative as String in walker {
            let url = folder.appendingPathComponent(relative)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            do { files[relative] = try Data(contentsOf: url) } catch {
                throw StoreError.io(operation: "read", path: url.path, message: error.localizedDescription)
            }
        }
        return files
    }

    /// Removes a folder so that it is either there whole or gone: renamed to a hidden temporary name first (a
    /// leftover of a crash is removed under the next write lock, like a staged export).
    static func removeFolder(_ url: URL) throws {
        let hidden = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.moveItem(at: url, to: hidden)
            try FileManager.default.removeItem(at: hidden)
        } catch {
            throw StoreError.io(operation: "remove the folder", path: url.path, message: error.localizedDescription)
        }
    }
}
