import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg forget WORKSPACE ID…`: erasure of customers (docs/PRIVACY.md, "Erasure"). The work is `Erasure.forget`.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase customers from the workspace's store and exports (right to erasure).",
        discussion: """
        Removes every row of the given customer ids from the dataset snapshots in WORKSPACE/.seg (rewritten under \
        new hashes), from every version's stored membership, and from membership.csv and rejects.csv under exports/; \
        diff folders comparing a changed version are removed. Profiles are aggregates and are left as computed; the \
        changed versions are marked, and `seg run --verify` names the erasure. The store keeps an audit entry with \
        the ids' salted hashes (salt from privacy.salt_env, default SEG_ID_SALT, which must be set), never the ids. \
        Your own files in data/ are not changed: remove the customers there too, or the next run stores them again.

        An interrupted erasure is completed by running `seg forget WORKSPACE` again (ids optional). Ids on the \
        command line are visible to other users of the machine (ps); use --ids-file for real requests.

        Exit status: 0 done; 1 the erasure failed (nothing or only complete steps were changed; run it again); \
        2 bad usage or a missing salt.
        """
    )

    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Customer ids to erase, exactly as in the data.") var ids: [String] = []
    @Option(name: .customLong("ids-file"), help: "A file with one customer id per line, taken as it is but for the line end and a leading UTF-8 byte-order mark (blank lines ignored).")
    var idsFile: String?
    @Flag(help: "List the erasures recorded in the store (the audit) and change nothing.") var list = false

    func validate() throws {
        if list, !ids.isEmpty || idsFile != nil { throw ValidationError("--list changes nothing; it takes no ids or --ids-file") }
        if let idsFile, !FileManager.default.isReadableFile(atPath: idsFile) {
            throw ValidationError("--ids-file \(idsFile) cannot be read; check the path")
        }
    }

    func run() throws {
        let ws = try Workspace.open(workspace)
        if list { return try printAudit(ws) }
        var all = ids
        if let idsFile {
            guard let data = FileManager.default.contents(atPath: idsFile) else {
                throw DataError(file: idsFile, line: nil, message: "cannot be read; check the path")
            }
            all += Self.idsFileLines(data)
        }
        let outcome = try Erasure.forget(ids: all, in: ws)
        for e in outcome.completed where e.number != outcome.erasure?.number {
            print("completed the interrupted \(e.id) (started \(e.startedAt)): \(Self.describe(e.counts))")
        }
        guard let e = outcome.erasure else {
            if outcome.completed.isEmpty {
                throw ValidationError("give customer ids (or --ids-file FILE); there is no interrupted erasure to complete")
            }
            return
        }
        let asked = e.idHashes.count, foundIDs = e.found.filter { $0 > 0 }.count
        print("\(e.id): \(asked) \(asked == 1 ? "id" : "ids") asked, \(foundIDs) found; \(Self.describe(e.counts))")
        if !outcome.notFound.isEmpty {
            // Ids are the user's text: escaped so none can drive the terminal or pass for a CI command.
            let shown = outcome.notFound.prefix(20).map(TerminalText.cell).joined(separator: ", ")
            print("not found anywhere in the workspace (\(outcome.notFound.count)): \(shown)\(outcome.notFound.count > 20 ? ", …" : "")")
        }
        if !outcome.userFiles.isEmpty {
            let files = outcome.userFiles.map { "\($0.file) (\($0.rows) \($0.rows == 1 ? "row" : "rows"))" }.joined(separator: ", ")
            print("reminder: your own files still hold these customers: \(files). seg forget does not change them; "
                  + "remove the customers there, or the next `seg run` stores them again")
        }
        if !outcome.sourceInputs.isEmpty {
            print("reminder: source plugins read their own files, which Segwork neither stores nor searches: "
                  + outcome.sourceInputs.joined(separator: ", ") + "; remove the customers there too")
        }
    }

    /// The ids of an `--ids-file`: one per line, the line end (LF or CRLF) and a leading UTF-8 byte-order mark
    /// removed as the data readers remove them, blank lines skipped; otherwise byte for byte.
    static func idsFileLines(_ data: Data) -> [String] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes.split(separator: 10, omittingEmptySubsequences: false)
            .map { $0.last == 13 ? $0.dropLast() : $0 }
            .filter { !$0.isEmpty }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    static func describe(_ c: ErasureCounts) -> String {
        "removed \(c.snapshotRows) rows from \(c.snapshotsRewritten) dataset snapshots, \(c.membershipRows) rows from stored "
            + "memberships (\(c.versionsChanged) versions changed), \(c.exportRows) rows from \(c.exportFolders) export folders; "
            + "removed \(c.diffFolders) diff folders and \(c.filesDeleted) old snapshot files"
    }

    private func printAudit(_ ws: Workspace) throws {
        let store = try VersionStore.open(workspace: ws.root, create: false)
        let erasures = try store.erasures()
        if erasures.isEmpty { print("no erasures recorded"); return }
        for e in erasures {
            print("\(e.id)  started \(e.startedAt)  \(e.completedAt.map { "completed \($0)" } ?? "INCOMPLETE")  salt from \(e.saltVariable)")
            print("  \(e.idHashes.count) ids asked, \(e.found.filter { $0 > 0 }.count) found; \(Self.describe(e.counts))")
        }
    }
}
