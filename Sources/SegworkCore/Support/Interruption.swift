import Dispatch
import Foundation
import SegworkData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A clean exit on SIGINT, SIGTERM and SIGHUP (a closed terminal or SSH session) for commands that write (docs/WORKSPACES.md, "Interruptions").
///
/// Writers tell it what they have in flight: temporary folders and files (`track`/`untrack`, done by
/// `AtomicWriter` and the store's snapshot copies), versions stored and export folders put in place (noted by
/// `History.recordRun` and `AtomicWriter.StagedDirectory.commit(exporting:)`). On a signal, a handler thread waits for any critical section (`critical`: saving a version,
/// renaming a folder into place) to end, removes what is in flight, says on standard error what was kept, and ends
/// the process with status 128 + the signal (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP). The workspace lock dies with the
/// process; an SQLite transaction cut short is rolled back by the next open, as after `kill -9`.
///
/// Signal handling is opt-in (`install`); without it the bookkeeping is a few dictionary operations. Only SIGINT,
/// SIGTERM and SIGHUP are handled: the Lua watchdog's SIGURG is left alone.
public final class Interruption: @unchecked Sendable {
    /// The process-wide instance.
    public static let shared = Interruption()

    /// Held by critical sections and, for good, by the handler once a signal arrived.
    private let mutex = NSLock()
    private var inFlight: [UUID: URL] = [:]
    /// Work running elsewhere to stop on a signal (a PostgreSQL query: the server would go on running it).
    private var cancellations: [UUID: @Sendable () -> Void] = [:]
    private var versions: [(id: String, definition: String, exported: Bool)] = []
    private var sources: [DispatchSourceSignal] = []
    private var workspace = "DIR"

    /// Installs the handlers for SIGINT, SIGTERM and SIGHUP (once; later calls only update the workspace named in hints).
    public func install(workspace: String) {
        mutex.lock(); defer { mutex.unlock() }
        self.workspace = workspace
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)   // delivered to the dispatch source instead of ending the process at once
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global(qos: .userInitiated))
            source.setEventHandler { [unowned self] in self.interrupted(by: sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Runs `body` so that an interruption waits for it to finish (use for short steps that must not be cut in two
    /// from the user's point of view, such as saving a version and noting it).
    public func critical<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lock(); defer { mutex.unlock() }
        return try body()
    }

    /// Notes a temporary file or folder that an interruption should remove; `create` runs inside the same critical
    /// section, so it never exists untracked. Returns a token for `untrack`.
    public func track(_ url: URL, create: () throws -> Void) rethrows -> UUID {
        try critical {
            try create()
            let token = UUID()
            inFlight[token] = url
            return token
        }
    }

    /// The temporary item is gone or in place; `body` (a rename, a removal) runs inside the critical section.
    public func untrack(_ token: UUID, _ body: () throws -> Void = {}) rethrows {
        try critical {
            defer { inFlight[token] = nil }
            try body()
        }
    }

    /// Runs `body` with `cancel` registered: an interruption meanwhile calls it before it cleans up (e.g. asks the
    /// database server to cancel the query in flight). `cancel` must be safe to call from another thread.
    public func cancelling<T>(with cancel: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let token = UUID()
        critical { cancellations[token] = cancel }
        defer { critical { cancellations[token] = nil } }
        return try body()
    }

    /// Notes a version stored (inside the critical section that saved it).
    func storedUnlocked(_ id: String, definition: String) {
        versions.append((id, definition, false))
    }

    /// Notes that a stored version's export folder is in place (inside the critical section that renamed it).
    func exportedUnlocked(_ id: String) {
        if let i = versions.firstIndex(where: { $0.id == id }) { versions[i].exported = true }
    }

    /// What an interruption says, and does, now: removes what is in flight and describes what was kept.
    func cleanUpAndDescribe(signal sig: Int32) -> String {
        for cancel in cancellations.values { cancel() }
        cancellations = [:]
        var removed = 0
        for url in inFlight.values.sorted(by: { $0.path < $1.path }) {
            for _ in 0..<3 {   // the main thread may still be writing into a folder being removed: try again
                if (try? FileManager.default.removeItem(at: url)) != nil || !FileManager.default.fileExists(atPath: url.path) { break }
                usleep(2_000)
            }
            if !FileManager.default.fileExists(atPath: url.path) { removed += 1 }
        }
        inFlight = [:]
        let name = sig == SIGINT ? "SIGINT (interrupt)" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP (hang-up)" : "signal \(sig)"
        var text = "seg: interrupted by \(name); stopped"
        if removed > 0 { text += ", removed \(removed) unfinished temporary \(removed == 1 ? "item" : "items")" }
        if versions.isEmpty {
            text += ". No version was stored by this command; the workspace is as it was."
        } else {
            text += ". Kept (stored before the interruption): "
                + versions.map { "\($0.id) (\($0.definition))" }.joined(separator: ", ") + "."
            let missing = versions.filter { !$0.exported }.map(\.id)
            if !missing.isEmpty {
                text += " Their export folders were not written: `seg export \(workspace) \(missing.joined(separator: "` and `seg export \(workspace) "))` writes them."
            }
        }
        return text + "\n"
    }

    private func interrupted(by sig: Int32) {
        mutex.lock()   // waits for a critical section to end; never released: the process ends here
        let text = cleanUpAndDescribe(signal: sig)
        _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(128 + sig)
    }
}
