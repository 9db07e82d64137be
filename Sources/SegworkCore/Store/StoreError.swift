import Foundation
import SegworkData

/// What went wrong with a workspace's version store (`<workspace>/.seg/`). Every message names the file and says
/// what to do.
public enum StoreError: SegworkError, CustomStringConvertible, Equatable {
    /// Another process holds the workspace's write lock. `holder` describes it: pid, command, start time and the
    /// lock file (`pid 123, \`seg run ws\` since 2026-11-25T17:02:11Z, holds ws/.seg/lock`).
    case busy(holder: String)
    /// The workspace folder (or `.seg/` or a file in it) cannot be written; detected before any work is done.
    case readOnly(path: String)
    /// The store is damaged or was edited outside Segwork; `detail` says what is wrong.
    case corrupted(path: String, detail: String)
    /// The store was written by a newer Segwork with a schema this version does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The workspace has no store yet (opened with `create: false`).
    case missing(path: String)
    /// No version matches the reference; `available` holds a few existing ids (the latest ones).
    case unknownVersion(String, available: [String])
    /// A run-id prefix matches versions of more than one run.
    case ambiguousVersion(String, matches: [String])
    /// No dataset has that name; `available` holds the imported names.
    case unknownDataset(String, available: [String])
    /// Text given as a plugin's source does not hash to the SHA-256 given with it.
    case hashMismatch(what: String, expected: String, actual: String)
    /// An input file's bytes changed while seg was running: copying it into the store gave another digest than the
    /// run computed when it read the file. Nothing was stored.
    case inputChanged(path: String)
    /// A dataset name that cannot be stored (empty or containing a line break).
    case invalidName(String)
    /// A file operation failed (copying a snapshot, creating `.seg/`).
    case io(operation: String, path: String, message: String)
    /// SQLite reported an error that is neither damage nor a permission problem.
    case sqlite(path: String, message: String)
    /// `.seg/` or `.seg/datasets/` is a symbolic link leading outside the workspace; nothing is written through it.
    case linkOutside(path: String, target: String)
    /// The database's path is longer than SQLite accepts (`limit` bytes, its VFS's `mxPathname`).
    case pathTooLong(path: String, bytes: Int, limit: Int)
    /// Erasures (`seg forget`) were interrupted; `erasures` names them (`erasure #2 started 2026-…`).
    case erasureIncomplete(erasures: [String], workspace: String)
    /// An interrupted erasure must be completed with the salt it started with; `variable` now holds another.
    case erasureSaltChanged(erasure: String, variable: String)
    /// An erasure cannot remove a customer from a stored file: `what` names the dataset and the file it came from,
    /// `reason` says why. Nothing was changed.
    case erasureUnsupported(what: String, reason: String)

    private static let repair = "Restore the workspace's .seg/ folder from a backup, or move it aside (mv .seg .seg.broken) "
        + "to start a fresh history; definitions, data and exports/ are not affected"

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .busy(let holder):
            return "workspace busy: another seg process (\(holder)); wait for it to finish and try again. "
                + "The lock is released as soon as that process ends, even if it crashed"
        case .readOnly(let path):
            return "cannot write to '\(path)': the workspace (or its .seg/ folder) is read-only; nothing was done. "
                + "Make it writable (check permissions and that the disk is not mounted read-only), "
                + "or copy the workspace somewhere writable"
        case let .corrupted(path, detail):
            return "the version store '\(path)' is damaged or was edited by hand: \(detail). \(Self.repair)"
        case let .newerSchema(path, found, supported):
            return "the version store '\(path)' has schema version \(found), but this Segwork (\(segworkVersion)) "
                + "understands up to \(supported); it was written by a newer Segwork. Upgrade Segwork to read it"
        case .missing(let path):
            return "no version store at '\(path)': this workspace has no history yet; "
                + "`seg run` creates it with the first version (or check the workspace path)"
        case let .unknownVersion(ref, available):
            if available.isEmpty {
                return "unknown version '\(ref)': the workspace has no versions yet; `seg run` creates one"
            }
            return "unknown version '\(ref)'; recent versions: \(available.joined(separator: ", ")). "
                + "Use v<number>, a run id (at least 4 characters), latest, latest:<definition> or previous:<definition>; `seg versions` lists all"
        case let .ambiguousVersion(ref, matches):
            return "version '\(ref)' is ambiguous: it matches \(matches.joined(separator: ", ")); "
                + "give more characters of the run id or use v<number>"
        case let .unknownDataset(name, available):
            if available.isEmpty {
                return "unknown dataset '\(name)': nothing has been imported yet; use `seg import DIR NAME FILE`"
            }
            return "unknown dataset '\(name)'; imported datasets: \(available.joined(separator: ", "))"
        case let .hashMismatch(what, expected, actual):
            return "\(what) hashes to \(actual), not the expected \(expected); "
                + "it changed while it was being read, or was decoded differently — read it again and retry"
        case .inputChanged(let path):
            return "'\(path)' changed while seg was running: its bytes no longer match what seg read, so the file was "
                + "not stored and no version was saved. Run again once nothing is writing to the file"
        case .invalidName(let name):
            return "invalid dataset name '\(name)': use a non-empty name on one line (e.g. customers)"
        case let .io(operation, path, message):
            return "cannot \(operation) '\(path)': \(message). Check free space and permissions"
        case let .linkOutside(path, target):
            return "refusing to write through '\(path)': it is a symbolic link to '\(target)', outside the workspace; "
                + "nothing was done. Replace the link with a real folder (move the store back into the workspace)"
        case let .pathTooLong(path, bytes, limit):
            return "cannot open the version store '\(path)': its path is \(bytes) bytes long, and SQLite accepts at most "
                + "\(limit). Move the workspace to a shorter path"
        case let .sqlite(path, message):
            return "the version store '\(path)' reported an error: \(message). Try again; "
                + "if it persists, see docs/STORE.md for how to check and repair a store"
        case let .erasureIncomplete(erasures, workspace):
            return "\(erasures.joined(separator: ", ")) did not complete (the process was interrupted): customers it was "
                + "asked to remove may still be in the store or in exports/. Run `seg forget \(workspace)` (with the same salt "
                + "variable set) to complete it"
        case let .erasureSaltChanged(erasure, variable):
            return "\(erasure) was started with another salt than the one in \(variable); it can only be completed with "
                + "its own salt (its hashes are made with it). Set \(variable) to that salt and run `seg forget` again"
        case let .erasureUnsupported(what, reason):
            return "cannot erase from \(what): \(reason). Nothing was changed"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// Asking for something that does not exist (a version, a dataset) is a usage error; everything else fails
    /// the command.
    public var exitStatus: ExitStatus {
        switch self {
        case .unknownVersion, .ambiguousVersion, .unknownDataset: return .usage
        default: return .runFailed
        }
    }
}
