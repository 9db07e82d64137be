import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// When a crash test kills its `seg` child with SIGKILL (HistoryCrashTests for `seg run`, ForgetCrashTests for
/// `seg forget`).
enum KillMoment: CustomStringConvertible {
    /// A fixed time after the start.
    case after(milliseconds: Int)
    /// As soon as a file whose name contains `marker` shows up in `folder` (relative to the workspace).
    case appears(folder: String, marker: String)
    /// After SQLite's rollback journal has come and gone `count` times: a transaction committed, the child goes on.
    case journalCycles(Int)

    var description: String {
        switch self {
        case .after(let ms): return "\(ms) ms after the start"
        case let .appears(folder, marker): return "when '\(marker)' appears in \(folder)/"
        case .journalCycles(let n): return "after \(n) store transactions"
        }
    }
}

/// The names in a workspace folder (empty when it does not exist).
func names(_ folder: String, in ws: TempWorkspace) -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(folder).path)) ?? [])
}

/// Kills `child` at `moment`; true when it was killed (false: it finished first). `existing` holds the names that
/// were in the moment's folder before the child started (a leftover of an earlier kill is not a trigger).
func kill(_ child: SegChild, at moment: KillMoment, in ws: TempWorkspace, existing: Set<String>) -> Bool {
    let start = Date()
    switch moment {
    case .after(let ms):
        while child.isRunning, Date().timeIntervalSince(start) < Double(ms) / 1000 { usleep(500) }
    case let .appears(folder, marker):
        while child.isRunning, Date().timeIntervalSince(start) < 30,
              !names(folder, in: ws).subtracting(existing).contains(where: { $0.contains(marker) }) {
            usleep(100)
        }
    case .journalCycles(let count):
        let journal = ws.root.appendingPathComponent(".seg/store.sqlite-journal").path
        var cycles = 0, present = false
        while child.isRunning, Date().timeIntervalSince(start) < 30, cycles < count {
            let now = FileManager.default.fileExists(atPath: journal)
            if present && !now { cycles += 1 }
            present = now
            usleep(50)
        }
    }
    child.kill9()
    return child.wait().status == -SIGKILL
}
