import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg plugins lock WORKSPACE [--check]`
struct PluginsLockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Write plugins.lock: the library, version, path and SHA-256 of every plugin the definitions use, and of the modules they require.",
        discussion: """
        Resolves every plugin every definition in segmentations/ names (as a run would: precedence, library:, \
        version pins), loads it in its sandbox, and writes WORKSPACE/plugins.lock, sorted and stable: run again with \
        nothing changed, the file is left untouched. Commit it. With a lock present, `seg run`, `seg run --verify` \
        and `seg check` refuse under CI (--ci or CI=true; exit 2) when a plugin differs from it, and warn otherwise. \
        --check only compares (exit 1 when the lock is missing or out of date), for CI scripts.
        """
    )

    @Argument(help: "The workspace folder (default: the current folder).")
    var workspace: String = "."

    @Flag(help: "Do not write: exit 1 when plugins.lock is missing or differs from what would be written.")
    var check = false

    func run() throws {
        let ws = try Workspace.open(workspace)
        let lock = try PluginLock.current(ws)
        let file = ws.display(ws.root.appendingPathComponent(PluginLock.fileName))
        if check {
            guard let existing = try PluginLock.read(ws) else {
                FileHandle.standardError.write(Data("seg: error: \(file) does not exist; run `seg plugins lock \(workspace)`\n".utf8))
                throw ExitCode(ExitStatus.runFailed.rawValue)
            }
            let drifts = existing.drifts(from: lock)
            let stale = existing.entries.filter { e in !lock.entries.contains { $0.name == e.name && $0.library == e.library } }
            if drifts.isEmpty && stale.isEmpty && lock.isWritten(in: ws) {
                print("\(file) is up to date (\(lock.entries.count) plugins)")
                return
            }
            for d in drifts { FileHandle.standardError.write(Data("\(file): \(TerminalText.escaped(d.description, limit: Int.max))\n".utf8)) }
            for e in stale { FileHandle.standardError.write(Data("\(file): plugin '\(e.name)' of \(e.library) is locked but no definition uses it\n".utf8)) }
            if drifts.isEmpty && stale.isEmpty {
                FileHandle.standardError.write(Data("\(file): the plugins match, but the file is not written as `seg plugins lock` writes it (edited by hand, or an older format)\n".utf8))
            }
            FileHandle.standardError.write(Data("seg: error: \(file) is out of date; run `seg plugins lock \(workspace)`\n".utf8))
            throw ExitCode(ExitStatus.runFailed.rawValue)
        }
        let wrote = try lock.write(to: ws)
        let modules = Set(lock.entries.flatMap { $0.modules.map { "\($0.library):\($0.file)" } }).count
        print(wrote ? "wrote \(file): \(lock.entries.count) plugins, \(modules) modules"
                    : "\(file) is up to date (\(lock.entries.count) plugins); not rewritten")
    }
}
